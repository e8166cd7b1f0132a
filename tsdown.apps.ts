import { defineConfig } from "tsdown";

// How the api and the worker are bundled for production. One entry to deploy:
// the workspace packages are TypeScript source, so the bundle takes in them and
// what they import. Some stay external, each a direct dependency of the apps
// that use it: sharp, which loads a native library; libheif-js, which loads
// its WebAssembly at run time (packages/imaging/src/heic.ts); piscina, which
// starts its threads from a file of its own package; prom-client, whose
// CommonJS dependency @opentelemetry/api the bundler mangles (the bundle then
// fails at start with "Cannot access 'require_types' before initialization");
// and bull-board, whose UI serves files from its own package directory.
//
// The render pool's thread is an entry of its own, built next to main.mjs,
// where packages/imaging/src/render-pool.ts looks for it.
export default defineConfig({
  entry: { main: "src/main.ts", "render-thread": "../../packages/imaging/src/render-thread.ts" },
  platform: "node",
  format: "esm",
  outDir: "dist",
  deps: {
    alwaysBundle: [/^(?!(sharp|libheif-js(\/.*)?|piscina|prom-client|@bull-board\/.*)$)/],
    neverBundle: ["sharp", /^libheif-js(\/|$)/, "piscina", "prom-client", /^@bull-board\//],
    onlyBundle: false,
  },
});
