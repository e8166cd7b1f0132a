export * from "./errors";
export * from "./manifest";
export * from "./socket";
export * from "./uploads";
export * from "./variants";
export * from "./bench";
export * from "./bench-stats";
export * from "./bench-verdict";
