import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * What a worker serves over HTTP, though it takes no requests: `/metrics`
 * for Prometheus, `/healthz` while the process runs, and `/readyz` while it
 * takes jobs, for container and Kubernetes probes.
 */
export async function startOpsServer(
  registry: Registry,
  { host, port, isReady }: { host: string; port: number; isReady: () => boolean },
): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const answer = (status: number, type: string, body: string) =>
      res.writeHead(status, { "Content-Type": type }).end(body);
    if (req.url === "/metrics") {
      registry.metrics().then(
        (text) => answer(200, registry.contentType, text),
        () => answer(500, "text/plain", "metrics failed\n"),
      );
    } else if (req.url === "/healthz") answer(200, "application/json", '{"status":"ok"}');
    else if (req.url === "/readyz")
      answer(isReady() ? 200 : 503, "application/json", `{"status":"${isReady() ? "ready" : "not ready"}"}`);
    else answer(404, "text/plain", "not found\n");
  });
  server.listen(port, host);
  await once(server, "listening");
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${address.port}`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
