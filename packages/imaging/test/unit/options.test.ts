import { describe, expect, it } from "vitest";
import { DEFAULT_IMAGING_OPTIONS, imagingEnvSchema, imagingOptionsFromEnv } from "../../src";

const formatsOf = (env: Record<string, string>) => imagingOptionsFromEnv(imagingEnvSchema.parse(env)).formats;

describe("IMAGING_FORMATS", () => {
  it("is JPEG and WebP when unset: six variants per photo", () => {
    expect(formatsOf({})).toEqual(["jpeg", "webp"]);
    expect(imagingOptionsFromEnv(imagingEnvSchema.parse({}))).toEqual(DEFAULT_IMAGING_OPTIONS);
  });

  it("adds AVIF, in one order whatever the list's, spaces and case aside", () => {
    expect(formatsOf({ IMAGING_FORMATS: "jpeg,webp,avif" })).toEqual(["jpeg", "webp", "avif"]);
    expect(formatsOf({ IMAGING_FORMATS: " AVIF, webp ,jpeg" })).toEqual(["jpeg", "webp", "avif"]);
  });

  it.each([
    ["a format it cannot encode", "jpeg,webp,png", /invalid option/i],
    ["a list without JPEG", "webp,avif", /must include jpeg and webp/],
    ["a list without WebP", "jpeg", /must include jpeg and webp/],
    ["an empty list", "", /invalid option/i],
  ])("refuses %s", (_, value, message) => {
    const parsed = imagingEnvSchema.safeParse({ IMAGING_FORMATS: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(message);
  });
});
