// Measures how much the API's memory grows while it accepts large uploads at
// once: the API must stream them to S3, never hold whole files.
//
//   pnpm --filter @darkroom/bench memory [-- --uploads 20 --megabytes 20]
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { freePort, startApiProcess, startDevstack } from "@darkroom/devstack";

const { values } = parseArgs({
  options: { uploads: { type: "string", default: "20" }, megabytes: { type: "string", default: "20" } },
});
const uploads = Number(values.uploads);
const bytes = Number(values.megabytes) * 1024 * 1024;

const stack = await startDevstack();
const port = await freePort();
const api = await startApiProcess({
  ...stack.env,
  PORT: String(port),
  UPLOAD_MAX_BYTES: String(bytes * 2),
}).catch(async (error: unknown) => {
  await stack.stop();
  throw error;
});

async function rssBytes(): Promise<number> {
  const status = await readFile(`/proc/${api.child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}

/** A JPEG signature followed by filler: enough for the API's checks, which are all this measures. */
const body = Buffer.alloc(bytes, 0x5a);
body.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);

function upload(): Promise<number> {
  const form = new FormData();
  form.append("file", new Blob([body], { type: "image/jpeg" }), "large.jpg");
  return fetch(`http://127.0.0.1:${port}/api/uploads`, { method: "POST", body: form }).then(
    async (response) => {
      await response.arrayBuffer();
      return response.status;
    },
  );
}

try {
  await upload(); // warm up: first-request allocations are not what this measures
  const baseline = await rssBytes();
  let peak = baseline;
  const sampler = setInterval(() => void rssBytes().then((rss) => (peak = Math.max(peak, rss))), 20);
  const started = performance.now();
  const statuses = await Promise.all(Array.from({ length: uploads }, upload));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);

  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(`${uploads} concurrent uploads of ${mb(bytes)} MB in ${seconds.toFixed(2)} s`);
  const accepted = statuses.filter((status) => status === 202).length;
  console.log(
    `answers: ${accepted} × 202, others: ${JSON.stringify(statuses.filter((status) => status !== 202))}`,
  );
  console.log(`API RSS: baseline ${mb(baseline)} MB, peak ${mb(peak)} MB, growth ${mb(peak - baseline)} MB`);
} finally {
  await api.stop();
  await stack.stop();
}
