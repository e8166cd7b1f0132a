import { createS3Storage } from "@darkroom/storage";
import { describe, expect, it } from "vitest";
import { variantUrls } from "../../src/uploads/variant-urls";
import { expiresAt } from "../support/presigned-url";

const storage = createS3Storage({
  endpoint: "http://minio:9000",
  publicEndpoint: "http://localhost:9000",
  region: "us-east-1",
  bucket: "darkroom",
  accessKeyId: "darkroom",
  secretAccessKey: "not-a-secret",
  forcePathStyle: true,
  keyPrefix: "",
});
const KEY = "variants/0b7e9c1e-3a4b-4c5d-8e9f-0a1b2c3d4e5f/thumb.webp";
const HOUR_S = 3600;
/** A window, half an hour, starts on the hour and on the half hour. */
const AT_10_30 = Date.parse("2026-05-04T10:30:00Z");
const MINUTE = 60_000;

function urlAt(ms: number, expiryS = HOUR_S): Promise<URL> {
  return variantUrls(storage, expiryS, () => ms)(KEY).then((url) => new URL(url));
}

describe("a variant's presigned URL", () => {
  it("is the same for every read within a window of half its life, so the browser's cached image serves", async () => {
    const first = await urlAt(AT_10_30);
    for (const later of [1, 12, 29.99].map((minutes) => AT_10_30 + minutes * MINUTE))
      expect((await urlAt(later)).href).toBe(first.href);
    expect((await urlAt(AT_10_30 + 30 * MINUTE)).href).not.toBe(first.href);
    expect((await urlAt(AT_10_30 - 1)).href).not.toBe(first.href);
  });

  it("has at least half its life left when handed out, however late in its window", async () => {
    for (const offsetS of [0, 1, 900, 1799]) {
      const now = AT_10_30 + offsetS * 1000;
      const url = await urlAt(now);
      expect(expiresAt(url) - now).toBeGreaterThanOrEqual((HOUR_S / 2) * 1000);
      expect(expiresAt(url) - now).toBeLessThanOrEqual(HOUR_S * 1000);
    }
  });

  it("has the image cached privately, and for no longer than the URL has left", async () => {
    for (const expiryS of [HOUR_S, 601]) {
      const latest = AT_10_30 + 29 * MINUTE + 59_999;
      const url = await urlAt(latest, expiryS);
      const maxAge = /max-age=(\d+)/.exec(url.searchParams.get("response-cache-control")!)![1];
      expect(url.searchParams.get("response-cache-control")).toMatch(/^private, max-age=\d+, immutable$/);
      expect(Number(maxAge)).toBe(Math.floor(expiryS / 2));
      expect(latest + Number(maxAge) * 1000).toBeLessThanOrEqual(expiresAt(url));
    }
  });

  it("points at storage's public endpoint, for the variant's key alone", async () => {
    const url = await urlAt(AT_10_30);
    expect(`${url.origin}${url.pathname}`).toBe(`http://localhost:9000/darkroom/${KEY}`);
  });
});
