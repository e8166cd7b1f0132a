import { Agent } from "node:http";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The browser talks to one origin: Vite forwards the API and its socket.io
// traffic, so the app needs no CORS and no API address of its own.
export default defineConfig(() => {
  const apiUrl = process.env.API_URL ?? "http://127.0.0.1:3000";
  const port = Number(process.env.WEB_PORT ?? 5173);
  // Kept-alive connections to the API. Without an agent, the proxy asks the
  // API to close each connection after its answer, and an early answer (413,
  // 503) then closes it while the browser is still sending: the browser sees
  // a 502 instead. On a kept-alive connection the API reads the rest and drops it.
  const agent = new Agent({ keepAlive: true });
  const proxy = {
    "/api": { target: apiUrl, agent },
    "/socket.io": { target: apiUrl, ws: true },
  };
  return {
    plugins: [react()],
    server: { host: "127.0.0.1", port, strictPort: true, proxy },
    preview: { host: "127.0.0.1", proxy },
  };
});
