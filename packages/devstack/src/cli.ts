// `devstack run -- <command...>`: starts Redis and S3, runs the command with
// their addresses in its environment, and stops both when the command ends,
// on Ctrl-C, or on SIGTERM. Every process the command started is gone at most
// GRACE_MS after the first signal, and at once after a second.
//
// Run it as `node --import tsx`, not with the `tsx` command: that command
// relays a signal to its child unless the child acknowledges it within 30 ms,
// so on a busy machine a signal to the group arrives here twice (the second
// would cut the grace short), and it kills a child that is slower still.
import { spawn } from "node:child_process";
import { setTimeout as delay } from "node:timers/promises";
import { startDevstack } from "./devstack";
import { startLocalSignIn } from "./oidc-provider";
import { processTree, stillRunning, type KnownProcess } from "./process-tree";

/**
 * How long the command's processes get to stop after a signal before they are
 * killed. `tsx watch` kills its app 5 s after the signal; a process manager
 * commonly allows 10 s before it kills, and this leaves room on a busy machine.
 */
const GRACE_MS = 6_000;

/** The development provider's account that is an admin, as the admin's basic-auth user is. */
const DEV_OIDC_ADMIN = "admin";

const separator = process.argv.indexOf("--");
const [command, ...args] = separator === -1 ? [] : process.argv.slice(separator + 1);
if (process.argv[2] !== "run" || !command) {
  process.stderr.write("usage: devstack run -- <command> [args...]\n");
  process.exit(2);
}

const stack = await startDevstack();
// "Sign in" in the page goes through it, and back to the web app, which forwards /api.
const signIn = await startLocalSignIn({
  redirectUri: `http://127.0.0.1:${process.env.WEB_PORT ?? 5173}/api/auth/callback`,
  admins: [DEV_OIDC_ADMIN],
});
process.stdout.write(
  `devstack: Redis ${stack.redis.url}\ndevstack: S3    ${stack.s3.endpoint} (bucket ${stack.env.S3_BUCKET}; ` +
    "direct uploads are signed for it, and it allows browsers to PUT)\n" +
    `devstack: admin ${stack.env.ADMIN_USER} / ${stack.env.ADMIN_PASSWORD} (the queue page and /admin/queues ask for it)\n` +
    `devstack: sign-in ${signIn.issuer} (a development OpenID Connect provider: any account name, ` +
    `no password; "${DEV_OIDC_ADMIN}" is an admin)\n`,
);

// In a terminal, Ctrl-C reaches the whole foreground process group, the
// command's own processes too. Elsewhere a signal (a process manager's
// SIGTERM) reaches this process alone, and a command such as turbo starts
// processes of its own that a signal to it alone would leave running: there
// the command gets a process group of its own, and signals go to the group.
const ownGroup = !process.stdin.isTTY;
const child = spawn(command, args, {
  stdio: "inherit",
  detached: ownGroup,
  env: { ...process.env, ...stack.env, ...signIn.env },
});
const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

/**
 * Everything the command started, as far as it is known: its processes now,
 * and those it had when the signal came, some of which may have been orphaned
 * since. (The Redis and S3 servers are this process's, stopped last.)
 */
const commandProcesses = new Set<KnownProcess>();
/**
 * A signal to the command's group does not reach them all: turbo runs each
 * task in a process group of its own, and orphans them if it dies first;
 * `tsx watch` never exits unless signalled. So they are found by parentage.
 */
async function refreshCommandProcesses(): Promise<void> {
  const tree = await processTree(child.pid!).catch(() => new Set<KnownProcess>());
  for (const known of tree) commandProcesses.add(known);
}

async function killCommandProcesses(): Promise<void> {
  await refreshCommandProcesses();
  // The command's group too, in case ps could not be run.
  forward("SIGKILL");
  for (const pid of await stillRunning(commandProcesses).catch(() => [])) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone in the meantime.
    }
  }
}

function forward(signal: NodeJS.Signals): void {
  try {
    if (ownGroup && child.pid) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // The command has ended already.
  }
}

/**
 * The command's processes shut down as they do on Ctrl-C; those still running
 * at the deadline, or left behind by the command's end, are killed.
 */
async function shutDown(signal: NodeJS.Signals): Promise<void> {
  const deadline = Date.now() + GRACE_MS;
  // While the tree is whole: once turbo or a task's wrapper is gone, what ran
  // below it can no longer be found by parentage.
  await refreshCommandProcesses();
  forward(signal);
  for (;;) {
    await delay(250);
    await refreshCommandProcesses();
    const running = await stillRunning(commandProcesses).catch(() => []);
    if (running.length === 0 || Date.now() >= deadline) break;
  }
  await killCommandProcesses();
}

let shuttingDown: Promise<void> | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, (received) => {
    // A second Ctrl-C does not wait for the command to finish shutting down.
    if (shuttingDown) void killCommandProcesses();
    else shuttingDown = shutDown(received);
  });
}

await exited;
await shuttingDown;
await Promise.all([stack.stop(), signIn.close()]);
process.exit(child.exitCode ?? (child.signalCode ? 1 : 0));
