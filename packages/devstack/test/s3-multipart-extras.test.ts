import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server, type S3Server } from "../src";

const Bucket = "multipart-extras";

describe("the local S3 server's multipart extras", () => {
  let dataDir: string;
  let server: S3Server;
  let s3: S3Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "darkroom-s3-multipart-"));
    server = await startS3Server(dataDir, Bucket);
    s3 = new S3Client({
      endpoint: server.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
  });
  afterAll(async () => {
    s3?.destroy();
    await server?.process.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A key of its own per test, with a slash and a space to decode. */
  const scopedKey = (name: string) => `test-${randomUUID()}/${name}`;

  async function createUpload(Key: string): Promise<string> {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    return UploadId!;
  }

  async function uploadPart(Key: string, UploadId: string, PartNumber: number, Body: Buffer) {
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body }));
    return { PartNumber, ETag: ETag!, Size: Body.length };
  }

  const listParts = (Key: string, UploadId: string) =>
    s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));

  it("lists the parts uploaded so far with UploadPart's ETags and sizes, and completes into the same bytes", async () => {
    const Key = scopedKey("photo 1.jpg");
    const UploadId = await createUpload(Key);
    const first = randomBytes(5 * 1024 * 1024);
    const second = randomBytes(1234);

    const none = await listParts(Key, UploadId);
    expect(none).toMatchObject({ Bucket, Key, UploadId, IsTruncated: false });
    expect(none.Parts ?? []).toEqual([]);

    const part1 = await uploadPart(Key, UploadId, 1, first);
    expect((await listParts(Key, UploadId)).Parts).toMatchObject([part1]);

    const part2 = await uploadPart(Key, UploadId, 2, second);
    const both = await listParts(Key, UploadId);
    expect(both.Parts).toMatchObject([part1, part2]);
    expect(both.Parts?.[0]?.LastModified).toBeInstanceOf(Date);
    expect(both.NextPartNumberMarker).toBe("2");

    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: both.Parts!.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) },
      }),
    );
    const object = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(
      Buffer.from(await object.Body!.transformToByteArray()).equals(Buffer.concat([first, second])),
    ).toBe(true);
    // @tus/s3-store reads NoSuchUpload after completion as "the upload is whole".
    await expect(listParts(Key, UploadId)).rejects.toMatchObject({ name: "NoSuchUpload" });
  });

  it("lists an unfinished upload until it is aborted, after which its parts are NoSuchUpload", async () => {
    const Key = scopedKey("aborted.jpg");
    const Prefix = Key.split("/")[0];
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix }))).Uploads ?? []).toEqual([]);

    const UploadId = await createUpload(Key);
    await uploadPart(Key, UploadId, 1, randomBytes(100));
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix }));
    expect(listed).toMatchObject({ IsTruncated: false, Uploads: [{ Key, UploadId }] });
    expect(Date.now() - listed.Uploads![0]!.Initiated!.getTime()).toBeLessThan(60_000);

    const aborted = await s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
    expect(aborted.$metadata.httpStatusCode).toBe(204);

    await expect(listParts(Key, UploadId)).rejects.toMatchObject({
      name: "NoSuchUpload",
      $metadata: { httpStatusCode: 404 },
    });
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix }))).Uploads ?? []).toEqual([]);
    await expect(s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }))).rejects.toMatchObject({
      name: "NoSuchUpload",
    });
  });

  it("pages parts and uploads with the markers it hands out", async () => {
    const Key = scopedKey("paged.jpg");
    const Prefix = Key.split("/")[0];
    const ids = [await createUpload(Key), await createUpload(Key), await createUpload(`${Key}.2`)];
    await uploadPart(Key, ids[0]!, 1, randomBytes(10));
    await uploadPart(Key, ids[0]!, 2, randomBytes(10));

    const firstParts = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId: ids[0], MaxParts: 1 }));
    expect(firstParts).toMatchObject({
      IsTruncated: true,
      NextPartNumberMarker: "1",
      Parts: [{ PartNumber: 1 }],
    });
    const restParts = await s3.send(
      new ListPartsCommand({
        Bucket,
        Key,
        UploadId: ids[0],
        PartNumberMarker: firstParts.NextPartNumberMarker,
      }),
    );
    expect(restParts).toMatchObject({ IsTruncated: false, Parts: [{ PartNumber: 2 }] });

    const seen: string[] = [];
    let page = await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix, MaxUploads: 2 }));
    seen.push(...page.Uploads!.map((upload) => upload.UploadId!));
    expect(page.IsTruncated).toBe(true);
    page = await s3.send(
      new ListMultipartUploadsCommand({
        Bucket,
        Prefix,
        MaxUploads: 2,
        KeyMarker: page.NextKeyMarker,
        UploadIdMarker: page.NextUploadIdMarker,
      }),
    );
    seen.push(...page.Uploads!.map((upload) => upload.UploadId!));
    expect(page.IsTruncated).toBe(false);
    expect(seen.sort()).toEqual([...ids].sort());
  });
});
