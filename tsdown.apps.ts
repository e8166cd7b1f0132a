import { defineConfig } from "tsdown";

// How the api and the worker are bundled for production. One file to deploy:
// the workspace packages are TypeScript source, so the bundle takes in them and
// what they import. Only sharp, which loads a native library, stays external;
// it is a direct dependency of each app.
export default defineConfig({
  entry: ["src/main.ts"],
  platform: "node",
  format: "esm",
  outDir: "dist",
  deps: { alwaysBundle: [/^(?!sharp$)/], neverBundle: ["sharp"], onlyBundle: false },
});
