import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { securityHeaders } from "../../security-headers";

describe("the web app's security headers", () => {
  it("are those nginx sends in production, with storage's origin from its environment", async () => {
    const template = await readFile(join(import.meta.dirname, "../../nginx.conf.template"), "utf8");
    const nginx: Record<string, string> = {};
    for (const [, name, value] of template.matchAll(/^ {2}add_header (\S+) "([^"]+)" always;$/gm))
      nginx[name!] = value!;

    expect(nginx).toEqual(securityHeaders("${S3_PUBLIC_ORIGIN}"));
  });

  it("let the page connect to its own origin and to storage, show storage's images, and load nothing from elsewhere", () => {
    const policy = securityHeaders("http://storage.example:9000")["Content-Security-Policy"];

    expect(policy).toContain("connect-src 'self' http://storage.example:9000");
    expect(policy).toContain("img-src 'self' data: http://storage.example:9000");
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("unsafe");
  });
});
