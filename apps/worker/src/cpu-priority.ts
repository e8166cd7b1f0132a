import { readdirSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * Lowers the CPU priority of the whole process to `nice`. On Linux a nice
 * value belongs to one thread, and by the time this runs Node, libuv and
 * libvips have started threads of their own that `setPriority()` alone would
 * leave at full priority: each is lowered here, and threads created later
 * inherit the value from the thread that creates them.
 */
export function lowerCpuPriority(nice: number): void {
  let threads: string[];
  try {
    threads = readdirSync("/proc/self/task");
  } catch {
    // No /proc (macOS): there the value applies to the process.
    setPriority(nice);
    return;
  }
  for (const thread of threads) setPriority(Number(thread), nice);
}
