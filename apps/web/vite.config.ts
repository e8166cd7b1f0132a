import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The browser talks to one origin: Vite forwards the API and its socket.io
// traffic, so the app needs no CORS and no API address of its own.
export default defineConfig(() => {
  const apiUrl = process.env.API_URL ?? "http://127.0.0.1:3000";
  const port = Number(process.env.WEB_PORT ?? 5173);
  const proxy = {
    "/api": { target: apiUrl },
    "/socket.io": { target: apiUrl, ws: true },
  };
  return {
    plugins: [react()],
    server: { host: "127.0.0.1", port, strictPort: true, proxy },
    preview: { host: "127.0.0.1", proxy },
  };
});
