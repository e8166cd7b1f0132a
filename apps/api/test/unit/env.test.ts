import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env";

describe("the API's settings", () => {
  const secret = "x".repeat(32);
  /** An S3 user of the API's own: production refuses MinIO's root keys, the S3 settings' default. */
  const ownS3User = { S3_ACCESS_KEY_ID: "darkroom-app", S3_SECRET_ACCESS_KEY: "y".repeat(40) };

  it("refuses to start in production without a session secret, which elsewhere has a stand-in", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET/);
    expect(
      loadConfig({ NODE_ENV: "production", SESSION_SECRET: secret, ...ownS3User }).identity.sessionSecret,
    ).toBe(secret);
    expect(loadConfig({}).identity.sessionSecret.length).toBeGreaterThanOrEqual(32);
  });

  it("refuses to start in production with a secret everybody knows, and names the setting, not its value", () => {
    const production = { NODE_ENV: "production", SESSION_SECRET: secret, ...ownS3User };
    const placeholders = {
      SESSION_SECRET: "darkroom-development-session-secret-not-for-production",
      S3_ACCESS_KEY_ID: "minioadmin",
      S3_SECRET_ACCESS_KEY: "minioadmin",
      ADMIN_PASSWORD: "change-me-to-a-long-password",
      REDIS_URL: "redis://default:change-me@redis.example.com:6379",
    };
    for (const [name, value] of Object.entries(placeholders)) {
      const refused = () => loadConfig({ ...production, ADMIN_USER: "operator", [name]: value });
      expect(refused).toThrow(new RegExp(`^  ${name}: `, "m"));
      expect(refused).not.toThrow(value);
    }
    // MinIO's root keys, what the S3 settings default to.
    expect(() => loadConfig({ NODE_ENV: "production", SESSION_SECRET: secret })).toThrow(
      /S3_SECRET_ACCESS_KEY/,
    );
  });

  it("takes the placeholders outside production, where pnpm dev and the tests need no env", () => {
    expect(loadConfig({ NODE_ENV: "test", S3_SECRET_ACCESS_KEY: "minioadmin" }).s3.secretAccessKey).toBe(
      "minioadmin",
    );
    expect(loadConfig({}).s3.accessKeyId).toBe("minioadmin");
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
