import { readFile } from "node:fs/promises";

/** The repository's root. */
export const root = new URL("../../../", import.meta.url);

/** A file of the repository, by its path from the root. */
export const read = (path: string) => readFile(new URL(path, root), "utf8");
