import { execFileSync } from "node:child_process";
import { freePort } from "./free-port";
import { startProcess, type StartedProcess } from "./child-process";

export interface RedisServer {
  url: string;
  port: number;
  process: StartedProcess;
}

const INSTALL_HINT =
  "redis-server was not found on PATH. Install it with `sudo apt-get install -y redis-server` " +
  "(Debian, Ubuntu) or `brew install redis` (macOS), then run this again.";

export interface RedisServerOptions {
  /** @defaultValue a free port */
  port?: number;
  /**
   * Keep the data in an append-only file in `dataDir`, as production Redis
   * for a queue must, so a restart on the same directory loses nothing.
   * @defaultValue false: a throwaway server that keeps nothing on disk
   */
  persistent?: boolean;
}

/** Starts a redis-server for `dataDir`. */
export async function startRedisServer(
  dataDir: string,
  { port, persistent = false }: RedisServerOptions = {},
): Promise<RedisServer> {
  assertInstalled();
  for (let attempt = 1; ; attempt++) {
    const chosen = port ?? (await freePort());
    try {
      const started = await startProcess(
        "redis-server",
        [
          "--port",
          String(chosen),
          "--bind",
          "127.0.0.1",
          "--save",
          "",
          "--appendonly",
          persistent ? "yes" : "no",
          "--dir",
          dataDir,
          // As in production: a full Redis must refuse writes, never drop jobs.
          "--maxmemory-policy",
          "noeviction",
        ],
        { readyWhen: /Ready to accept connections/ },
      );
      return { url: `redis://127.0.0.1:${chosen}`, port: chosen, process: started };
    } catch (error) {
      const portTaken = error instanceof Error && error.message.includes("Address already in use");
      if (!portTaken || port !== undefined || attempt >= 5) throw error;
    }
  }
}

function assertInstalled(): void {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error(INSTALL_HINT);
  }
}
