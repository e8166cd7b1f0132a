import { createConnection, createServer, type Socket } from "node:net";

export interface CuttableLink {
  /** The web app, reached through this link. */
  url: string;
  /** Resets every connection now, mid-request too, and each new one until `restore`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP relay between the browser and the web app, which a test can cut as
 * a lost network cuts: connections reset in the middle of a request. The
 * browser's offline emulation alone does not do that here: it lets a
 * request body already on its way finish.
 *
 * Vite's live-reload socket is spared: the dev server's client reloads the
 * page when that socket comes back, which no deployment does.
 */
export async function cuttableLink(target: string): Promise<CuttableLink> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  const spared = new Set<Socket>();
  let cutOff = false;

  const server = createServer((client) => {
    if (cutOff) return void client.resetAndDestroy();
    const upstream = createConnection({ host: hostname, port: Number(port) });
    client.once("data", (head: Buffer) => {
      if (/^sec-websocket-protocol:\s*vite-hmr/im.test(head.toString("latin1")))
        spared.add(client).add(upstream);
    });
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      open.add(socket);
      socket.pipe(other);
      socket.on("error", () => other.destroy());
      socket.on("close", () => {
        open.delete(socket);
        spared.delete(socket);
        other.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the link has no port");

  return {
    url: `http://127.0.0.1:${address.port}`,
    cut() {
      cutOff = true;
      // An RST, as when the route to the server is gone: nothing of a request in flight arrives.
      for (const socket of open) if (!spared.has(socket)) socket.resetAndDestroy();
    },
    restore() {
      cutOff = false;
    },
    close() {
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
