import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env";

describe("the worker's settings", () => {
  const production = {
    NODE_ENV: "production",
    S3_ACCESS_KEY_ID: "darkroom-app",
    S3_SECRET_ACCESS_KEY: "y".repeat(40),
  };

  it("starts in production with S3 keys and a Redis password of its own", () => {
    expect(
      loadConfig({ ...production, REDIS_URL: "redis://default:a-password-of-its-own@redis:6379" }).s3,
    ).toMatchObject({ accessKeyId: "darkroom-app" });
  });

  it("refuses to start in production with MinIO's root keys or an example file's placeholder, naming the setting only", () => {
    const placeholders = {
      S3_ACCESS_KEY_ID: "minioadmin",
      S3_SECRET_ACCESS_KEY: "change-me",
      REDIS_URL: "redis://default:change-me@redis.example.com:6379",
    };
    for (const [name, value] of Object.entries(placeholders)) {
      const refused = () => loadConfig({ ...production, [name]: value });
      expect(refused).toThrow(new RegExp(`^  ${name}: `, "m"));
      expect(refused).not.toThrow(value);
    }
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/S3_ACCESS_KEY_ID[^]*S3_SECRET_ACCESS_KEY/);
  });

  it("renders on a thread per job it runs at once, and refuses the test-only crash marker in production", () => {
    expect(loadConfig({ WORKER_CONCURRENCY: "3" }).renderPool).toEqual({ threads: 3, maxHeapMb: 128 });
    expect(loadConfig({ IMAGING_TEST_CRASH_MARKER: "crash-this-decode" }).renderPool.crashMarker).toBe(
      "crash-this-decode",
    );
    expect(() => loadConfig({ ...production, IMAGING_TEST_CRASH_MARKER: "crash-this-decode" })).toThrow(
      /IMAGING_TEST_CRASH_MARKER/,
    );
  });

  it("takes MinIO's default keys outside production", () => {
    expect(loadConfig({}).s3).toMatchObject({ accessKeyId: "minioadmin", secretAccessKey: "minioadmin" });
  });
});
