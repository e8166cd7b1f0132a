import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

/** Node arguments that run a TypeScript entry file through tsx, wherever the caller's cwd is. */
export function typeScriptEntry(entry: string, ...args: string[]): string[] {
  const loader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return ["--import", loader, entry, ...args];
}

const running = new Set<ChildProcess>();

// A crashed test runner or a Ctrl-C must not leave servers behind.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export interface StartedProcess {
  child: ChildProcess;
  /** The output line that said the process was ready, matched against `readyWhen`. */
  ready: RegExpMatchArray;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The process is ready once a line of its output matches. */
  readyWhen: RegExp;
  /** @defaultValue 15000 */
  timeoutMs?: number;
  /** @defaultValue this process's environment */
  env?: NodeJS.ProcessEnv;
  /** @defaultValue this process's working directory */
  cwd?: string;
}

/**
 * Starts a long-running process and resolves once it says it is ready.
 * Rejects with the process's output when it exits first or takes too long.
 */
export function startProcess(
  command: string,
  args: readonly string[],
  { readyWhen, timeoutMs = 15_000, env, cwd }: StartOptions,
): Promise<StartedProcess> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env, cwd });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const output: string[] = [];

  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${command} ${reason}\n${output.join("\n")}`));
    };
    const timer = setTimeout(() => fail(`was not ready within ${timeoutMs} ms`), timeoutMs);
    child.once("error", (error) => fail(`could not start: ${error.message}`));
    child.once("exit", (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));

    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        output.push(line);
        const ready = readyWhen.exec(line);
        if (!ready) return;
        clearTimeout(timer);
        child.removeAllListeners("exit");
        child.once("exit", () => running.delete(child));
        resolve({ child, ready, stop: () => stopProcess(child) });
      });
    }
  });
}

/** SIGTERM, then SIGKILL if the process has not exited after `graceMs`. */
export function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
