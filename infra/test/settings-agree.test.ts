import { describe, expect, it } from "vitest";
import { apiEnvSchema, loadConfig as loadApiConfig } from "../../apps/api/src/env";
import { workerEnvSchema, loadConfig as loadWorkerConfig } from "../../apps/worker/src/env";
import { runnerEnvSchema } from "../../bench/src/runner/env";
import { composeFile, composeVariable, generatedDotenv, resolved } from "./support/compose";
import { appImage, finalStage } from "./support/dockerfile";
import { read } from "./support/repo";

const apiNames = Object.keys(apiEnvSchema.shape);
const workerNames = Object.keys(workerEnvSchema.shape);
/** What the web app reads: Vite's dev server, and the nginx template of its image. */
const webDevNames = ["WEB_PORT", "API_URL"];
/** The benchmark runner that `pnpm dev` starts beside the apps. */
const benchRunnerNames = Object.keys(runnerEnvSchema.shape);

/** Every `NAME` set or shown commented out (`# NAME=`) in .env.example. */
async function envExampleNames(): Promise<string[]> {
  return [...(await read(".env.example")).matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!);
}

describe("settings: compose, .env.example and the apps' schemas agree", () => {
  it("passes the api and the worker only settings their schemas read", async () => {
    const compose = await composeFile();

    expect(
      Object.keys(compose.services.api?.environment ?? {}).filter((name) => !apiNames.includes(name)),
    ).toEqual([]);
    expect(
      Object.keys(compose.services.worker?.environment ?? {}).filter((name) => !workerNames.includes(name)),
    ).toEqual([]);
  });

  it("starts the api and the worker, in production as their images run, with only the .env compose-env.sh writes", async () => {
    const compose = await composeFile();
    const dotenv = await generatedDotenv();
    const production = (service: string) => ({
      ...resolved(compose.services[service]?.environment, dotenv),
      NODE_ENV: "production",
    });

    expect(() => loadApiConfig(production("api"))).not.toThrow();
    expect(() => loadWorkerConfig(production("worker"))).not.toThrow();
  });

  it("fills every ${NAME} of the compose file from a setting .env.example documents", async () => {
    const compose = await read("docker-compose.yml");
    const documented = await envExampleNames();
    const used = [...compose.matchAll(composeVariable)].map((match) => match[1]!);

    expect(used.length).toBeGreaterThan(0);
    expect([...new Set(used)].filter((name) => !documented.includes(name))).toEqual([]);
  });

  it("documents in .env.example only settings some app or the compose file reads, and every one the apps read", async () => {
    const documented = await envExampleNames();
    const appsRead = new Set([...apiNames, ...workerNames, ...webDevNames, ...benchRunnerNames]);
    const composeReads = [...(await read("docker-compose.yml")).matchAll(composeVariable)].map(
      (match) => match[1]!,
    );

    expect(documented.filter((name) => !appsRead.has(name) && !composeReads.includes(name))).toEqual([]);
    expect([...appsRead].filter((name) => !documented.includes(name))).toEqual([]);
  });

  it("gives the web image every variable its nginx template uses", async () => {
    const template = await read("apps/web/nginx.conf.template");
    const image = finalStage(await appImage("web"));
    const needed = [...template.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)].map((match) => match[1]!);
    const given = image
      .filter((instruction) => instruction.keyword === "ENV")
      .flatMap((env) => [...env.args.matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((name) => name[1]!));

    expect(needed.length).toBeGreaterThan(0);
    expect([...new Set(needed)].filter((name) => !given.includes(name))).toEqual([]);
  });
});
