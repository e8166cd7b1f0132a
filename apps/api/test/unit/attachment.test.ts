import { describe, expect, it } from "vitest";
import { attachment } from "../../src/uploads/variant-downloads";

describe("the Content-Disposition of a download", () => {
  it("keeps a quote or a backslash from ending the file's name early", () => {
    expect(attachment('say "cheese"\\.jpg')).toBe('attachment; filename="say _cheese__.jpg"');
  });
});
