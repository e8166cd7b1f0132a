import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { startProcess, typeScriptEntry } from "../src";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("devstack run, outside a terminal", () => {
  it("stops every process the command started, on a SIGTERM sent to it alone", async () => {
    // A command that starts a process of its own, as turbo does.
    const command = ["sh", "-c", "sleep 300 & echo grandchild $!; wait"];
    const started = await startProcess(process.execPath, typeScriptEntry(cli, "run", "--", ...command), {
      readyWhen: /grandchild (\d+)/,
      timeoutMs: 30_000,
    });
    const grandchild = Number(started.ready[1]);
    expect(isRunning(grandchild)).toBe(true);

    try {
      started.child.kill("SIGTERM");
      await once(started.child, "exit");

      await vi.waitFor(() => expect(isRunning(grandchild)).toBe(false), { timeout: 5_000 });
    } finally {
      if (isRunning(grandchild)) process.kill(grandchild, "SIGKILL");
    }
  });
});
