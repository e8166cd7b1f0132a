import { Agent } from "node:http";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { securityHeaders } from "./security-headers";

// The browser talks to one origin: Vite forwards the API and its socket.io
// traffic, so the app needs no CORS and no API address of its own. The
// benchmark runs of the compare page go to the benchmark runner, a development
// tool that `pnpm dev` starts beside the API; a deployment has none.
export default defineConfig(() => {
  const apiUrl = process.env.API_URL ?? "http://127.0.0.1:3000";
  const benchRunnerUrl = `http://127.0.0.1:${process.env.BENCH_RUNNER_PORT ?? 3100}`;
  const port = Number(process.env.WEB_PORT ?? 5173);
  // Kept-alive connections to the API. Without an agent, the proxy asks the
  // API to close each connection after its answer, and an early answer (413,
  // 503) then closes it while the browser is still sending: the browser sees
  // a 502 instead. On a kept-alive connection the API reads the rest and drops it.
  const agent = new Agent({ keepAlive: true });
  // Resumable uploads (tus) go through "/api" like the rest: the proxy
  // streams request bodies as they come, passes PATCH, HEAD and OPTIONS, and
  // leaves tus's headers (Upload-Offset, Tus-Resumable, Location) alone: no
  // `autoRewrite`, and the API answers Location as a path. The e2e tests of
  // resumable uploads cut and resume through it.
  // The first matching path wins: the runner's routes come before the API's.
  // Its socket.io path is BENCH_SOCKET_PATH of contracts, written out: Vite
  // loads this file in plain Node, which cannot import TypeScript source.
  const proxy = {
    "/api/bench": { target: benchRunnerUrl },
    "/bench-socket.io": { target: benchRunnerUrl, ws: true },
    "/api": { target: apiUrl, agent },
    "/socket.io": { target: apiUrl, ws: true },
  };
  // Where the browser sends direct uploads, as the API signs them.
  const storage = process.env.S3_PUBLIC_ENDPOINT ?? process.env.S3_ENDPOINT ?? "http://127.0.0.1:9000";
  return {
    plugins: [react()],
    server: { host: "127.0.0.1", port, strictPort: true, proxy },
    preview: { host: "127.0.0.1", proxy, headers: securityHeaders(new URL(storage).origin) },
  };
});
