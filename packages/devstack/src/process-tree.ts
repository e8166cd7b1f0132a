import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** A process, known by its id and start time, so that a reused id is never mistaken for it. */
export type KnownProcess = `${number} ${string}`;

async function ps(...columns: string[]): Promise<string[][]> {
  const { stdout } = await promisify(execFile)("ps", [
    "-A",
    "-o",
    columns.map((name) => `${name}=`).join(","),
  ]);
  // The start time (lstart) is the last column, and has spaces of its own.
  const pattern = new RegExp(`^\\s*${"(\\d+)\\s+".repeat(columns.length - 1)}(.+?)\\s*$`);
  return stdout.split("\n").flatMap((line) => {
    const match = pattern.exec(line);
    return match ? [match.slice(1)] : [];
  });
}

/** `root` and every process below it, by parentage as ps lists it now. */
export async function processTree(root: number): Promise<Set<KnownProcess>> {
  const children = new Map<number, { pid: number; started: string }[]>();
  const found = new Set<KnownProcess>();
  for (const [pid, ppid, started] of (await ps("pid", "ppid", "lstart")) as [string, string, string][]) {
    children.set(Number(ppid), [...(children.get(Number(ppid)) ?? []), { pid: Number(pid), started }]);
    if (Number(pid) === root) found.add(`${root} ${started}`);
  }
  const visit = (pid: number) => {
    for (const below of children.get(pid) ?? []) {
      found.add(`${below.pid} ${below.started}`);
      visit(below.pid);
    }
  };
  if (found.size > 0) visit(root);
  return found;
}

/** The ids of those of `known` that still run. */
export async function stillRunning(known: ReadonlySet<KnownProcess>): Promise<number[]> {
  return ((await ps("pid", "lstart")) as [string, string][])
    .filter(([pid, started]) => known.has(`${Number(pid)} ${started}`))
    .map(([pid]) => Number(pid));
}
