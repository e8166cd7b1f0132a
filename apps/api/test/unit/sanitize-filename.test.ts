import { describe, expect, it } from "vitest";
import { sanitizeFilename } from "../../src/uploads/receive-upload";

describe("sanitizeFilename", () => {
  it.each([
    ["../../etc/passwd", "passwd"],
    ["C:\\photos\\beach.jpg", "beach.jpg"],
    ["bell\u0007 and\u0085 nul\u0000.jpg", "bell and nul.jpg"],
    ["invoice\u202egpj.exe", "invoicegpj.exe"],
    ["   ", "photo"],
    [undefined, "photo"],
  ])("turns %j into %j", (name, expected) => {
    expect(sanitizeFilename(name)).toBe(expected);
  });

  it("cuts a long name at 255 code points, never inside one", () => {
    const name = sanitizeFilename("📷".repeat(300));
    expect([...name]).toHaveLength(255);
    expect(name).toBe("📷".repeat(255));
  });
});
