// The compose file as its services' settings, and the .env that
// infra/compose-env.sh writes for it, for the tests of settings and secrets.

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse } from "yaml";
import { read, root } from "./repo";

export interface Compose {
  services: Record<
    string,
    { environment?: Record<string, string>; volumes?: string[]; command?: string[] } | undefined
  >;
}

/** docker-compose.yml, its `<<:` merges done. */
export async function composeFile(): Promise<Compose> {
  return parse(await read("docker-compose.yml"), { merge: true }) as Compose;
}

/** `${NAME}`, `${NAME:-default}` and `${NAME:?message}`, as compose fills them in. */
export const composeVariable = /\$\{([A-Z][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g;

/** What compose passes for each setting, given what .env sets; throws for a required one .env leaves out. */
export function resolved(
  environment: Record<string, string> = {},
  dotenv: Record<string, string> = {},
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      String(value).replace(composeVariable, (_, variable: string, kind?: string, text?: string) => {
        const given = dotenv[variable];
        if (given) return given;
        if (kind === "?") throw new Error(`compose refuses to start: ${text}`);
        return kind === "-" ? text! : "";
      }),
    ]),
  );
}

/** The settings of the .env that `infra/compose-env.sh` writes, in a directory of its own. */
export async function generatedDotenv(): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), "darkroom-compose-env-"));
  try {
    const file = join(dir, ".env");
    await promisify(execFile)("sh", [fileURLToPath(new URL("infra/compose-env.sh", root)), file]);
    return Object.fromEntries(
      (await readFile(file, "utf8"))
        .split("\n")
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
