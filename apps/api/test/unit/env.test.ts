import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env";

describe("the API's settings", () => {
  const secret = "x".repeat(32);

  it("refuses to start in production without a session secret, which elsewhere has a stand-in", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET/);
    expect(loadConfig({ NODE_ENV: "production", SESSION_SECRET: secret }).identity.sessionSecret).toBe(
      secret,
    );
    expect(loadConfig({}).identity.sessionSecret.length).toBeGreaterThanOrEqual(32);
  });

  it("refuses a session secret shorter than 32 characters", () => {
    expect(() => loadConfig({ SESSION_SECRET: "short" })).toThrow(/32 characters/);
  });

  it("has an admin only when both the user and the password are set", () => {
    expect(loadConfig({ ADMIN_USER: "operator" }).admin).toBeUndefined();
    expect(loadConfig({ ADMIN_USER: "operator", ADMIN_PASSWORD: "a-long-password" }).admin).toEqual({
      user: "operator",
      password: "a-long-password",
    });
  });
});
