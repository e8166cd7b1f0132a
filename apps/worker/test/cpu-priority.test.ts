import { readdirSync, readFileSync } from "node:fs";
import { startWorkerProcess } from "@darkroom/devstack";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { photoQueueFromEnv } from "@darkroom/queue";
import { obliteratePhotoQueue } from "@darkroom/queue/testing";
import { storageFromEnv } from "@darkroom/storage";
import { storedUpload } from "@darkroom/storage/testing";
import { describe, expect, it, vi } from "vitest";

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

  it("runs the render threads it starts later at the same priority", async () => {
    const env = isolatedEnv({ WORKER_NICE: "7", WORKER_CONCURRENCY: "2" });
    const queue = photoQueueFromEnv(env);
    const worker = await startWorkerProcess(env);
    try {
      const threadsBefore = threadNiceValues(worker.child.pid!).length;
      const upload = await storedUpload(storageFromEnv(env), await noisyPhoto(1200, 800));
      await queue.enqueue(upload);
      await vi.waitFor(async () => expect((await queue.find(upload.id))?.state).toBe("completed"), {
        timeout: 30_000,
        interval: 50,
      });

      const values = threadNiceValues(worker.child.pid!);
      expect(values.length).toBeGreaterThan(threadsBefore);
      expect(new Set(values)).toEqual(new Set([7]));
    } finally {
      await worker.stop();
      await queue.close();
      await obliteratePhotoQueue(env);
    }
  }, 60_000);
});
