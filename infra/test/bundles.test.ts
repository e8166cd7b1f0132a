import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { acceptedUploadSchema, apiSessionSchema, uploadSnapshotSchema } from "@darkroom/contracts";
import { freePort, startProcess, type StartedProcess } from "@darkroom/devstack";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { appImage, finalStage, type Instruction } from "./support/dockerfile";
import { root } from "./support/repo";

const run = promisify(execFile);
const repo = fileURLToPath(root);

/**
 * What an image's target in the root Dockerfile does, without Docker: the RUN
 * steps of the stages it builds from, from the one that copies in the whole
 * tree on (install from the lockfile, build, `pnpm deploy` to /out), and its
 * final stage's ENV and CMD. The steps before that copy only fill pnpm's store,
 * which this machine's already holds. No Docker engine runs here, so the images
 * themselves are never built; this runs the same steps on this machine.
 */
async function imageRecipe(app: "api" | "worker") {
  const all = await appImage(app);
  const final = finalStage(all);
  const stages = all.slice(0, all.indexOf(final[0]!));
  const treeCopied = stages.findLastIndex(
    (instruction) => instruction.keyword === "COPY" && instruction.args === ". .",
  );
  if (treeCopied < 0) throw new Error(`the ${app} target copies no tree to build`);
  const build = stages
    .slice(treeCopied)
    .filter((instruction) => instruction.keyword === "RUN")
    .map((run) => run.args)
    .join(" && ");
  const env = Object.fromEntries(
    final
      .filter((instruction) => instruction.keyword === "ENV")
      .flatMap((instruction: Instruction) => [...instruction.args.matchAll(/([A-Z][A-Z0-9_]*)=(\S+)/g)])
      .map((match) => [match[1]!, match[2]!]),
  );
  const command = JSON.parse(final.find((instruction) => instruction.keyword === "CMD")!.args) as string[];
  return { build, env, command };
}

describe("the api and worker bundles, built and deployed as their Dockerfile targets do", () => {
  let copy: string;
  const recipes = new Map<"api" | "worker", Awaited<ReturnType<typeof imageRecipe>>>();
  const started: StartedProcess[] = [];

  beforeAll(async () => {
    // A copy of the working tree: `pnpm deploy` must not touch this workspace's
    // node_modules. It stays on the repository's disk, beside pnpm's store.
    const cache = join(repo, "infra/node_modules/.cache");
    await mkdir(cache, { recursive: true });
    copy = await mkdtemp(join(cache, "bundles-"));
    const { stdout } = await run("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
      cwd: repo,
      maxBuffer: 16 << 20,
    });
    const files = stdout.split("\0").filter(Boolean);
    await Promise.all(files.map((file) => cp(join(repo, file), join(copy, file), { force: true })));
    for (const app of ["api", "worker"] as const) {
      const recipe = await imageRecipe(app);
      recipes.set(app, recipe);
      await run("sh", ["-c", recipe.build.replace(/ \/out$/, ` ${join(copy, "out", app)}`)], {
        cwd: copy,
        maxBuffer: 64 << 20,
      });
    }
  }, 300_000);

  afterAll(async () => {
    await Promise.all(started.map((app) => app.stop()));
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  async function start(app: "api" | "worker", env: Record<string, string>, readyWhen: RegExp) {
    const recipe = recipes.get(app)!;
    const [command, ...args] = recipe.command;
    started.push(
      await startProcess(command!, args, {
        readyWhen,
        timeoutMs: 60_000,
        cwd: join(copy, "out", app),
        // What the container would have: the image's settings, then the deployment's.
        env: { PATH: process.env.PATH, ...recipe.env, ...env, LOG_LEVEL: "info" },
      }),
    );
  }

  it("start from the deployed directory alone, and process an upload end to end", async () => {
    const env = isolatedEnv();
    const port = await freePort();
    // The image runs in production, which has no default for the secret.
    const sessionSecret = randomBytes(32).toString("base64");
    await start(
      "api",
      { ...env, HOST: "127.0.0.1", PORT: String(port), SESSION_SECRET: sessionSecret },
      /"API listening"/,
    );
    await start("worker", { ...env, WORKER_OPS_HOST: "127.0.0.1", WORKER_OPS_PORT: "0" }, /"worker ready"/);
    const api = `http://127.0.0.1:${port}`;
    // It opens its Redis connection a moment after it listens.
    await vi.waitFor(async () => expect((await fetch(`${api}/api/readyz`)).status).toBe(200), {
      timeout: 15_000,
      interval: 100,
    });
    const session = await fetch(`${api}/api/sessions`, { method: "POST" });
    const headers = { authorization: `Bearer ${apiSessionSchema.parse(await session.json()).token}` };

    const form = new FormData();
    form.append("file", new Blob([await noisyPhoto(1600, 1200)], { type: "image/jpeg" }), "bundled.jpg");
    const response = await fetch(`${api}/api/uploads`, { method: "POST", body: form, headers });
    expect(response.status).toBe(202);
    const { id } = acceptedUploadSchema.parse(await response.json());

    await vi.waitFor(
      async () => {
        const snapshot = uploadSnapshotSchema.parse(
          await (await fetch(`${api}/api/uploads/${id}`, { headers })).json(),
        );
        expect(snapshot).toMatchObject({ status: "completed", variants: expect.any(Array) as unknown });
        expect(snapshot.variants).toHaveLength(6);
      },
      { timeout: 60_000, interval: 250 },
    );
    expect((await fetch(`${api}/metrics`)).status).toBe(200);
  });
});
