// `devstack run -- <command...>`: starts Redis and S3, runs the command with
// their addresses in its environment, and stops both when the command ends,
// on Ctrl-C, or on SIGTERM.
import { spawn } from "node:child_process";
import { startDevstack } from "./devstack";

const separator = process.argv.indexOf("--");
const [command, ...args] = separator === -1 ? [] : process.argv.slice(separator + 1);
if (process.argv[2] !== "run" || !command) {
  process.stderr.write("usage: devstack run -- <command> [args...]\n");
  process.exit(2);
}

const stack = await startDevstack();
process.stdout.write(
  `devstack: Redis ${stack.redis.url}\ndevstack: S3    ${stack.s3.endpoint} (bucket ${stack.env.S3_BUCKET})\n`,
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
  env: { ...process.env, ...stack.env },
});
let signalled = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    signalled += 1;
    // A second Ctrl-C does not wait for the command to finish shutting down.
    const sent = signalled > 1 ? "SIGKILL" : signal;
    if (ownGroup && child.pid) process.kill(-child.pid, sent);
    else child.kill(sent);
  });
}
child.once("exit", (code, signal) => {
  void stack.stop().then(() => process.exit(code ?? (signal ? 1 : 0)));
});
