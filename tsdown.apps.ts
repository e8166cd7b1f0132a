import { defineConfig } from "tsdown";

// How the api and the worker are bundled for production. One file to deploy:
// the workspace packages are TypeScript source, so the bundle takes in them and
// what they import. Some stay external, each a direct dependency of the apps
// that use it: sharp, which loads a native library; libheif-js, which loads
// its WebAssembly at run time (packages/imaging/src/heic.ts); prom-client, whose
// CommonJS dependency @opentelemetry/api the bundler mangles (the bundle then
// fails at start with "Cannot access 'require_types' before initialization");
// and bull-board, whose UI serves files from its own package directory.
export default defineConfig({
  entry: ["src/main.ts"],
  platform: "node",
  format: "esm",
  outDir: "dist",
  deps: {
    alwaysBundle: [/^(?!(sharp|libheif-js(\/.*)?|prom-client|@bull-board\/.*)$)/],
    neverBundle: ["sharp", /^libheif-js(\/|$)/, "prom-client", /^@bull-board\//],
    onlyBundle: false,
  },
});
