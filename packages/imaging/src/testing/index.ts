export * from "./fixtures";
export * from "./hostile-corpus";
