import { expect, test as base } from "@playwright/test";

/**
 * Playwright's `test`, with every page of a test held to the web app's
 * Content-Security-Policy: each of its documents must come with the policy, and the
 * test fails on any violation of it (`securitypolicyviolation`), as a user's
 * browser would have blocked what caused it.
 */
export const test = base.extend<{ contentSecurityPolicy: void }>({
  contentSecurityPolicy: [
    async ({ context, baseURL }, use) => {
      const violations: string[] = [];
      const withoutPolicy: string[] = [];
      await context.exposeBinding("reportCspViolation", (_source, violation: string) =>
        violations.push(violation),
      );
      await context.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) => {
          const report = (window as unknown as { reportCspViolation: (violation: string) => void })
            .reportCspViolation;
          report(`${event.effectiveDirective} refused ${event.blockedURI} on ${event.documentURI}`);
        });
      });
      context.on("response", (response) => {
        if (response.request().resourceType() !== "document") return;
        // Another site's pages (the sign-in provider's) are not the web app's to hold to its policy.
        if (new URL(response.url()).origin !== new URL(baseURL!).origin) return;
        if (!response.headers()["content-security-policy"]) withoutPolicy.push(response.url());
      });

      await use();

      expect(withoutPolicy, "pages sent without a Content-Security-Policy").toEqual([]);
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
