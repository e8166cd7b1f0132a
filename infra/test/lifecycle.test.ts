import { failedOriginalTag, objectKeys } from "@darkroom/storage";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { read } from "./support/repo";

interface LifecycleRule {
  Status: string;
  Filter: { And: { Prefix: string; Tags: { Key: string; Value: string }[] } };
  Expiration: { Days: number };
}

describe("the bucket's lifecycle rules (infra/minio/lifecycle.json)", () => {
  it("expire originals that carry the tag the worker gives those of failed uploads, and nothing else", async () => {
    const { Rules: rules } = JSON.parse(await read("infra/minio/lifecycle.json")) as {
      Rules: LifecycleRule[];
    };

    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule?.Status).toBe("Enabled");
    expect(rule?.Filter.And).toEqual({
      Prefix: objectKeys.originals,
      Tags: [{ Key: failedOriginalTag.key, Value: failedOriginalTag.value }],
    });
    expect(rule?.Expiration.Days).toBeGreaterThanOrEqual(1);
  });

  it("are set on MinIO's bucket by the compose file's setup job", async () => {
    const compose = parse(await read("docker-compose.yml")) as {
      services: Record<string, { volumes?: string[]; command?: string[] }>;
    };
    const setup = compose.services["minio-setup"];
    const mounted = setup?.volumes
      ?.map((volume) => volume.split(":"))
      .find(([source]) => source === "./infra/minio/lifecycle.json")?.[1];

    expect(mounted).toBeDefined();
    expect(setup?.command?.join(" ")).toContain(`mc ilm rule import "local/$$S3_BUCKET" < ${mounted}`);
  });
});
