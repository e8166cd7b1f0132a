import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeListingCursor, encodeListingCursor } from "../../src/uploads/listing-cursor";

describe("the listing's cursor", () => {
  it("gives back the place it was made from", () => {
    const position = { listedAt: 1_767_225_600_123, id: randomUUID() };

    const cursor = encodeListingCursor(position);

    expect(cursor).toMatch(/^[\w-]+$/);
    expect(decodeListingCursor(cursor)).toEqual(position);
  });

  it("refuses anything it did not make", () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const id = randomUUID();
    for (const cursor of [
      "",
      "not a cursor",
      "%%%",
      "x".repeat(201),
      Buffer.from("[1,").toString("base64url"),
      encode({ listedAt: 1, id }),
      encode([1, "not-an-upload-id"]),
      encode([-1, id]),
      encode([1.5, id]),
      encode([1, id, "more"]),
      encode(null),
    ])
      expect({ cursor, decoded: decodeListingCursor(cursor) }).toEqual({ cursor, decoded: undefined });
  });
});
