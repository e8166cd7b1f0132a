import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { describe, expect, it } from "vitest";
import { createS3Client, createS3Storage, type S3Config } from "../../src";

const CONFIG: S3Config = {
  endpoint: "http://minio:9000",
  publicEndpoint: "http://127.0.0.1:9000",
  region: "eu-west-3",
  bucket: "darkroom",
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  forcePathStyle: true,
  keyPrefix: "tenant (1)/",
};
const SIGNED_AT = new Date("2026-05-04T10:30:00Z");
const CACHE_CONTROL = "private, max-age=1800, immutable";

/** What the SDK's own `getSignedUrl` gives for a GetObject of the same key, at the public endpoint. */
function sdkUrl(config: S3Config, key: string) {
  const client = createS3Client({ ...config, endpoint: config.publicEndpoint });
  const command = new GetObjectCommand({
    Bucket: config.bucket,
    Key: config.keyPrefix + key,
    ResponseCacheControl: CACHE_CONTROL,
  });
  return getSignedUrl(client, command, { expiresIn: 3600, signingDate: SIGNED_AT });
}

describe("presigned GETs", () => {
  it.each([
    ["path-style", CONFIG],
    [
      "virtual-hosted",
      { ...CONFIG, forcePathStyle: false, publicEndpoint: "https://s3.eu-west-3.amazonaws.com" },
    ],
  ])("are the URLs the SDK signs, %s, for keys of any characters", async (_style, config) => {
    const storage = createS3Storage(config);
    for (const key of ["variants/0b7e/thumb.webp", "odd/Été à l'ombre (2)*!.jpg"]) {
      const url = await storage.signGet(key, {
        expiresInS: 3600,
        signedAt: SIGNED_AT,
        cacheControl: CACHE_CONTROL,
      });
      expect(url).toBe(await sdkUrl(config, key));
    }
  });

  it("name the public endpoint, and last as long as asked from when they were signed", async () => {
    const url = new URL(
      await createS3Storage(CONFIG).signGet("variants/0b7e/thumb.webp", {
        expiresInS: 600,
        signedAt: SIGNED_AT,
      }),
    );
    expect(url.origin).toBe("http://127.0.0.1:9000");
    expect(url.searchParams.get("X-Amz-Date")).toBe("20260504T103000Z");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("600");
  });

  // The SDK's getSignedUrl took 600 to 1,100 ms for as many, on the 2-core build machine.
  it("cost little: the 600 URLs of a listing of 100 uploads in under 200 ms", async () => {
    const storage = createS3Storage(CONFIG);
    const signListing = () =>
      Promise.all(
        Array.from({ length: 600 }, (_, i) =>
          storage.signGet(`variants/${i}/thumb.webp`, { expiresInS: 3600, signedAt: SIGNED_AT }),
        ),
      );
    await signListing();
    const started = performance.now();
    await signListing();
    expect(performance.now() - started).toBeLessThan(200);
  });
});
