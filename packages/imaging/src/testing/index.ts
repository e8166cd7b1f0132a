export * from "./crashing-photo";
export * from "./fixtures";
export * from "./hostile-corpus";
export * from "./tool-fixtures";
