import { describe, expect, it } from "vitest";
import { apiEnvSchema, loadConfig as loadApiConfig } from "../../apps/api/src/env";
import { workerEnvSchema, loadConfig as loadWorkerConfig } from "../../apps/worker/src/env";
import { secretSettings, type SecretSetting } from "../../packages/runtime/src/placeholder-secrets";
import { composeFile, generatedDotenv, resolved } from "./support/compose";
import { read } from "./support/repo";

const exampleFiles = [".env.example", "infra/k8s/secret.env.example"];
const secretNames = Object.keys(secretSettings) as SecretSetting[];
const apps = [
  { app: "api", names: Object.keys(apiEnvSchema.shape), load: loadApiConfig },
  { app: "worker", names: Object.keys(workerEnvSchema.shape), load: loadWorkerConfig },
];

/** A value's secret part: a URL's password, or all of it. */
const secretOf = (name: string, value: string) => (name.endsWith("_URL") ? new URL(value).password : value);

/** Every `NAME=value` of an example file, those shown commented out (`# NAME=value`) too. */
async function exampleSettings(path: string): Promise<[string, string][]> {
  return [...(await read(path)).matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => [
    match[1]!,
    match[2]!,
  ]);
}

describe("secrets: no app runs in production on one published here", () => {
  it("refuses, in the api and the worker, every secret value of the example files", async () => {
    // A production the apps accept, as compose runs them, then one published value at a time.
    const dotenv = await generatedDotenv();
    const compose = await composeFile();
    let refused = 0;
    for (const path of exampleFiles)
      for (const [name, value] of await exampleSettings(path)) {
        if (!secretNames.includes(name as SecretSetting) || !secretOf(name, value)) continue;
        for (const { app, load } of apps.filter((candidate) => candidate.names.includes(name))) {
          const production = {
            ...resolved(compose.services[app]?.environment, dotenv),
            NODE_ENV: "production",
            [name]: value,
          };
          expect(() => load(production), `${app} with ${name} from ${path}`).toThrow(
            new RegExp(`^  ${name}: `, "m"),
          );
          refused++;
        }
      }
    expect(refused).toBeGreaterThanOrEqual(8);
  });

  it("checks every setting of the example files that holds a secret and that an app reads", async () => {
    const looksSecret = (name: string, value: string) =>
      /SECRET|PASSWORD|_KEY(_ID)?$/.test(name) || /:\/\/[^/@\s]*:[^/@\s]+@/.test(value);
    const read = new Set(apps.flatMap((app) => app.names));
    const unchecked = (await Promise.all(exampleFiles.map(exampleSettings)))
      .flat()
      .filter(([name, value]) => looksSecret(name, value) && read.has(name))
      .map(([name]) => name)
      .filter((name) => !secretNames.includes(name as SecretSetting));

    expect([...new Set(unchecked)]).toEqual([]);
  });

  it("has compose require every secret, and give none a default", async () => {
    const compose = await composeFile();
    const secrets = new Set<string>([...secretNames, "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"]);
    const given = Object.values(compose.services).flatMap((service) =>
      Object.entries(service?.environment ?? {}).filter(([name]) => secrets.has(name)),
    );

    expect(given.length).toBeGreaterThan(0);
    for (const [name, value] of given) {
      // Redis on compose's own network has no password in its URL.
      if (!value.includes("$") && !secretOf(name, value)) continue;
      // Optional (no admin) is allowed; a value everybody can read is not.
      expect(value, name).toMatch(new RegExp(`^\\$\\{${name}(:\\?[^}]+|:-)\\}$`));
    }
  });

  it("gives the api and the worker MinIO's app user, never its root", async () => {
    const compose = await composeFile();
    const dotenv = await generatedDotenv();
    const knowsRoot = Object.entries(compose.services)
      .filter(([, service]) => JSON.stringify(service?.environment ?? {}).includes("MINIO_ROOT"))
      .map(([name]) => name)
      .sort();

    expect(knowsRoot).toEqual(["minio", "minio-setup"]);
    const root = resolved(compose.services.minio?.environment, dotenv);
    for (const app of ["api", "worker"]) {
      const s3 = resolved(compose.services[app]?.environment, dotenv);
      expect(s3.S3_ACCESS_KEY_ID).not.toBe(root.MINIO_ROOT_USER);
      expect(s3.S3_SECRET_ACCESS_KEY).not.toBe(root.MINIO_ROOT_PASSWORD);
    }
  });

  it("has minio-setup make that user with a policy limited to the apps' bucket", async () => {
    const compose = await composeFile();
    const setup = compose.services["minio-setup"]!;
    const { S3_BUCKET: bucket } = compose.services.api!.environment!;
    const mounted = setup.volumes
      ?.map((volume) => volume.split(":"))
      .find(([source]) => source === "./infra/minio/app-policy.json")?.[1];
    const policy = JSON.parse(await read("infra/minio/app-policy.json")) as {
      Statement: { Effect: string; Action: string[]; Resource: string[] }[];
    };

    expect(mounted).toBeDefined();
    const command = setup.command!.join(" ");
    expect(command).toContain(`mc admin policy create local darkroom-app ${mounted}`);
    expect(command).toContain(`mc admin user add local "$$S3_ACCESS_KEY_ID" "$$S3_SECRET_ACCESS_KEY"`);
    expect(command).toContain(`mc admin policy attach local darkroom-app --user "$$S3_ACCESS_KEY_ID"`);
    expect(compose.services.worker!.environment!.S3_BUCKET).toBe(bucket);
    expect(setup.environment!.S3_BUCKET).toBe(bucket);
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe("Allow");
      for (const action of statement.Action) expect(action).toMatch(/^s3:[A-Za-z]+$/);
      for (const resource of statement.Resource)
        expect([`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]).toContain(resource);
    }
  });
});
