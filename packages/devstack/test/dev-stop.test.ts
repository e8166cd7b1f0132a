import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify, stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { freePort } from "../src";

const repo = fileURLToPath(new URL("../../../", import.meta.url));

interface Listed {
  pid: number;
  ppid: number;
  pgid: number;
  /** With its start time, so that a reused id is never taken for it. */
  identity: string;
  zombie: boolean;
  command: string;
}

async function processes(): Promise<Listed[]> {
  const { stdout } = await promisify(execFile)("ps", ["-A", "-o", "pid=,ppid=,pgid=,stat=,lstart=,args="], {
    maxBuffer: 16 << 20,
  });
  return stdout.split("\n").flatMap((line) => {
    // lstart is five words: "Thu Nov 19 14:27:16 2026".
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+\s+\S+\s+\S+\s+\S+\s+\S+)\s+(.*)$/.exec(line);
    if (!match) return [];
    const [, pid, ppid, pgid, stat, started, command] = match;
    return [
      {
        pid: Number(pid),
        ppid: Number(ppid),
        pgid: Number(pgid),
        identity: `${pid} ${started}`,
        zombie: stat!.startsWith("Z"),
        command: command!,
      },
    ];
  });
}

/** The processes of a group, and every descendant of its leader, wherever their group. */
function groupAndDescendants(all: Listed[], leader: number): Listed[] {
  const found = new Map(all.filter((listed) => listed.pgid === leader).map((listed) => [listed.pid, listed]));
  for (let grew = true; grew;) {
    grew = false;
    for (const listed of all)
      if (!found.has(listed.pid) && (listed.ppid === leader || found.has(listed.ppid))) {
        found.set(listed.pid, listed);
        grew = true;
      }
  }
  return [...found.values()];
}

describe("pnpm dev under a process manager (no terminal, its own process group)", () => {
  it("stops Redis, S3, turbo and every app within 10 s of a SIGTERM to its process group", async () => {
    const [apiPort, webPort, runnerPort] = [await freePort(), await freePort(), await freePort()];
    const dev = spawn("pnpm", ["dev"], {
      cwd: repo,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PORT: String(apiPort),
        WEB_PORT: String(webPort),
        API_URL: `http://127.0.0.1:${apiPort}`,
        WORKER_OPS_PORT: "0",
        BENCH_RUNNER_PORT: String(runnerPort),
        TURBO_TELEMETRY_DISABLED: "1",
      },
    });
    const output: string[] = [];
    for (const stream of [dev.stdout, dev.stderr])
      // Vite colours the port in the URL it prints.
      createInterface({ input: stream }).on("line", (line) => output.push(stripVTControlCharacters(line)));
    const leader = dev.pid!;
    let started: Listed[] = [];

    try {
      // The first start compiles everything with tsx and Vite: slow on a busy two-core machine.
      const upBy = Date.now() + 120_000;
      const up = () =>
        ['"API listening"', '"worker ready"', `127.0.0.1:${webPort}`].every((sign) =>
          output.some((line) => line.includes(sign)),
        );
      while (!up()) {
        if (dev.exitCode !== null || Date.now() > upBy)
          throw new Error(`pnpm dev did not come up:\n${output.join("\n")}`);
        await delay(500);
      }
      started = groupAndDescendants(await processes(), leader);
      const commands = started.map((listed) => listed.command).join("\n");
      expect(commands).toContain("redis-server");
      expect(commands).toContain("turbo");
      expect(commands).toMatch(/tsx.* watch/);
      expect(commands).toContain("vite");

      process.kill(-leader, "SIGTERM");
      const signalledAt = Date.now();
      const known = new Set(started.map((listed) => listed.identity));
      const survivors = async () => {
        const running = (await processes()).filter((listed) => !listed.zombie);
        const left = [
          ...running.filter((listed) => known.has(listed.identity)),
          ...groupAndDescendants(running, leader),
        ];
        return [...new Map(left.map((listed) => [listed.pid, `${listed.pid} ${listed.command}`])).values()];
      };
      let left = await survivors();
      while (left.length > 0 && Date.now() - signalledAt < 10_000) {
        await delay(250);
        left = await survivors();
      }
      expect(left, `still running ${Date.now() - signalledAt} ms after the SIGTERM`).toEqual([]);
    } finally {
      // Whatever the outcome, nothing of this test stays behind.
      const known = new Set(started.map((listed) => listed.identity));
      const all = await processes();
      const left = [
        ...all.filter((listed) => known.has(listed.identity)),
        ...groupAndDescendants(all, leader),
      ];
      for (const listed of left) {
        try {
          process.kill(listed.pid, "SIGKILL");
        } catch {
          // Gone already.
        }
      }
      if (dev.exitCode === null && dev.signalCode === null) await once(dev, "exit");
    }
  }, 180_000);
});
