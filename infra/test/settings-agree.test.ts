import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { apiEnvSchema } from "../../apps/api/src/env";
import { workerEnvSchema } from "../../apps/worker/src/env";
import { runnerEnvSchema } from "../../bench/src/runner/env";
import { appImage, finalStage } from "./support/dockerfile";
import { read } from "./support/repo";

interface Compose {
  services: Record<string, { environment?: Record<string, string> }>;
}

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
    const compose = parse(await read("docker-compose.yml"), { merge: true }) as Compose;

    expect(
      Object.keys(compose.services.api?.environment ?? {}).filter((name) => !apiNames.includes(name)),
    ).toEqual([]);
    expect(
      Object.keys(compose.services.worker?.environment ?? {}).filter((name) => !workerNames.includes(name)),
    ).toEqual([]);
  });

  it("gives the api and the worker settings their schemas accept, with nothing set in .env", async () => {
    const compose = parse(await read("docker-compose.yml"), { merge: true }) as Compose;
    // What compose passes when the variable is unset: its default, or nothing.
    const resolved = (environment: Record<string, string> = {}) =>
      Object.fromEntries(
        Object.entries(environment).map(([name, value]) => [
          name,
          String(value).replace(
            /\$\{[A-Z][A-Z0-9_]*(?::-([^}]*))?\}/g,
            (_, fallback?: string) => fallback ?? "",
          ),
        ]),
      );

    expect(apiEnvSchema.safeParse(resolved(compose.services.api?.environment)).error).toBeUndefined();
    expect(workerEnvSchema.safeParse(resolved(compose.services.worker?.environment)).error).toBeUndefined();
  });

  it("fills every ${NAME} of the compose file from a setting .env.example documents", async () => {
    const compose = await read("docker-compose.yml");
    const documented = await envExampleNames();
    const used = [...compose.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::-[^}]*)?\}/g)].map((match) => match[1]!);

    expect(used.length).toBeGreaterThan(0);
    expect([...new Set(used)].filter((name) => !documented.includes(name))).toEqual([]);
  });

  it("documents in .env.example only settings some app reads, and every one they read", async () => {
    const documented = await envExampleNames();
    const read = new Set([...apiNames, ...workerNames, ...webDevNames, ...benchRunnerNames]);

    expect(documented.filter((name) => !read.has(name))).toEqual([]);
    expect([...read].filter((name) => !documented.includes(name))).toEqual([]);
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
