import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { corpusRows, HOSTILE_CORPUS } from "../src/testing";

describe("the hostile corpus", () => {
  it("is the table the README shows, row for row", async () => {
    const readme = await readFile(new URL("../../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("### Hostile input"));
    const table = section.slice(section.indexOf("\n|"), section.indexOf("\n\n", section.indexOf("\n|")));
    const rows = table
      .trim()
      .split("\n")
      .slice(2)
      .map((line) => line.split(" | ").map((cell) => cell.replace(/^\|/, "").replace(/\|$/, "").trim()));

    expect(rows).toEqual(corpusRows());
  });

  it("makes every file the same way each time", async () => {
    for (const entry of HOSTILE_CORPUS) {
      const [first, second] = await Promise.all([
        entry.make({ maxBytes: 100_000 }),
        entry.make({ maxBytes: 100_000 }),
      ]);
      expect(first.equals(second), entry.name).toBe(true);
    }
    // ImageMagick, exiftool and heif-enc run once or twice for most files.
  }, 60_000);
});
