// pnpm --filter @darkroom/imaging corpus [DIR] [--max-bytes N]
//
// Writes the hostile corpus to DIR (default ./hostile-corpus), with
// corpus.json saying, for each file, how to send it and what must happen.
// --max-bytes sizes the oversized file; use the API's UPLOAD_MAX_BYTES.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { corpusTable, HOSTILE_CORPUS } from "../src/testing/hostile-corpus";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { "max-bytes": { type: "string", default: String(50 * 1024 * 1024) } },
});
const dir = resolve(positionals[0] ?? "hostile-corpus");
const maxBytes = Number(values["max-bytes"]);

await mkdir(dir, { recursive: true });
const index = [];
for (const { make, ...entry } of HOSTILE_CORPUS) {
  await writeFile(join(dir, entry.name), await make({ maxBytes }));
  index.push(entry);
}
await writeFile(join(dir, "corpus.json"), `${JSON.stringify(index, null, 2)}\n`);
process.stdout.write(`${corpusTable()}\n\nwrote ${HOSTILE_CORPUS.length} files to ${dir}\n`);
