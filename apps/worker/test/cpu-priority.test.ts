import { readdirSync, readFileSync } from "node:fs";
import { startWorkerProcess } from "@darkroom/devstack";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { describe, expect, it } from "vitest";

/** The nice value of each thread of a process, from /proc. */
function threadNiceValues(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((thread) => {
    const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, "utf8");
    // Fields after the command name, which is in parentheses; nice is field 19.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

describe.runIf(process.platform === "linux")("the worker's CPU priority", () => {
  it("applies WORKER_NICE to every thread of the process, not only the main one", async () => {
    const worker = await startWorkerProcess(isolatedEnv({ WORKER_NICE: "7" }));
    try {
      const values = threadNiceValues(worker.child.pid!);
      expect(values.length).toBeGreaterThan(4);
      expect(new Set(values)).toEqual(new Set([7]));
    } finally {
      await worker.stop();
    }
  });
});
