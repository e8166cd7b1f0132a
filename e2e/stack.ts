import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import {
  freePort,
  startAppStack,
  startLocalSignIn,
  startProcess,
  typeScriptEntry,
  type StartedProcess,
} from "@darkroom/devstack";

const run = (command: string, args: string[], env: NodeJS.ProcessEnv) =>
  promisify(execFile)(command, args, { env, maxBuffer: 16 << 20 });

const ROOT = resolve(import.meta.dirname, "..");
const WEB_DIR = join(ROOT, "apps/web");
const VITE_BIN = join(
  dirname(createRequire(join(WEB_DIR, "package.json")).resolve("vite/package.json")),
  "bin/vite.js",
);
const BENCH_RUNNER = createRequire(import.meta.url).resolve("@darkroom/bench/runner");

/** tsx compiling on a busy two-core machine is slow to start. */
const START_TIMEOUT_MS = 60_000;

let stopRunning: (() => Promise<void>) | undefined;

export interface Stack {
  webUrl: string;
  /** The API itself, for what the web app does not forward (its `/metrics`). */
  apiUrl: string;
  /** The Redis and S3 variables the apps were given, for tests that reach behind the API. */
  env: Record<string, string>;
}

/** The development provider's account that is an admin. */
export const E2E_OIDC_ADMIN = "ada";

/**
 * Starts Redis, S3, a development OpenID Connect provider, the API, the
 * worker, the benchmark runner and the web app, each on a free port, as
 * `pnpm dev` runs them; the web app built, as it is deployed, and served
 * with its production headers.
 */
export async function startStack(): Promise<Stack> {
  // The provider sends browsers back to the web app, which forwards /api.
  const webPort = await freePort();
  const signIn = await startLocalSignIn({
    redirectUri: `http://127.0.0.1:${webPort}/api/auth/callback`,
    admins: [E2E_OIDC_ADMIN],
  });
  const apps = await startAppStack(1, signIn.env).catch(async (error: unknown) => {
    await signIn.close();
    throw error;
  });
  let runner: StartedProcess | undefined;
  let web: StartedProcess | undefined;
  let stopping: Promise<void> | undefined;
  stopRunning = () => {
    stopping ??= Promise.all([web?.stop(), runner?.stop()])
      .then(() => apps.stop())
      .then(() => signIn.close());
    return stopping;
  };
  // `kill -INT` reaches only this process, not the servers: stop them here too.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stopStack());

  try {
    const runnerPort = String(await freePort());
    runner = await startProcess(process.execPath, typeScriptEntry(BENCH_RUNNER), {
      readyWhen: /"bench runner listening"/,
      timeoutMs: START_TIMEOUT_MS,
      env: {
        ...process.env,
        ...apps.env,
        API_URL: apps.apiUrl,
        BENCH_RUNNER_PORT: runnerPort,
        LOG_LEVEL: "info",
      },
    });
    const webEnv = {
      ...process.env,
      API_URL: apps.apiUrl,
      BENCH_RUNNER_PORT: runnerPort,
      // Direct uploads go there: the page's Content-Security-Policy lets it connect.
      S3_PUBLIC_ENDPOINT: apps.env.S3_ENDPOINT,
      NO_COLOR: "1",
      FORCE_COLOR: "0",
    };
    // The app as it is deployed, built, with the headers nginx sends (see apps/web/security-headers.ts).
    await run(process.execPath, [VITE_BIN, "build", WEB_DIR, "--logLevel", "warn"], webEnv);
    web = await startProcess(
      process.execPath,
      [VITE_BIN, "preview", WEB_DIR, "--port", String(webPort), "--strictPort", "--host", "127.0.0.1"],
      { readyWhen: /Local:\s+(http:\/\/\S+?)\/?$/, timeoutMs: START_TIMEOUT_MS, env: webEnv },
    );
  } catch (error) {
    await stopStack();
    throw error;
  }
  return { webUrl: web.ready[1]!, apiUrl: apps.apiUrl, env: apps.env };
}

/** Stops everything `startStack` started. Safe to call twice, or when nothing started. */
export function stopStack(): Promise<void> {
  return stopRunning?.() ?? Promise.resolve();
}
