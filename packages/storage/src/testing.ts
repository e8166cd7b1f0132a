import { GetObjectTaggingCommand } from "@aws-sdk/client-s3";
import type { S3Config } from "./config";
import { createS3Client } from "./s3-storage";

/** An object's tags, as the bucket's lifecycle rules see them. */
export async function objectTags(config: S3Config, key: string): Promise<Record<string, string>> {
  const client = createS3Client(config);
  try {
    const { TagSet = [] } = await client.send(
      new GetObjectTaggingCommand({ Bucket: config.bucket, Key: `${config.keyPrefix}${key}` }),
    );
    return Object.fromEntries(TagSet.map((tag) => [tag.Key ?? "", tag.Value ?? ""] as const));
  } finally {
    client.destroy();
  }
}
