// Dockerfiles read as their instructions, for the tests of images and manifests.

import { read } from "./repo";

export interface Instruction {
  keyword: string;
  args: string;
}

/** A Dockerfile's instructions, continuation lines joined and comments dropped. */
export function instructions(dockerfile: string): Instruction[] {
  return dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

/** The instructions of the last stage: what the image runs with. */
export function finalStage(all: Instruction[]): Instruction[] {
  return all.slice(all.findLastIndex((instruction) => instruction.keyword === "FROM"));
}

/** The image a FROM names, with any `${ARG}` replaced by the ARG's default. */
export function baseImage(from: Instruction, all: Instruction[]): string {
  const image = from.args.split(" ")[0]!;
  return image.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const arg = all.find(
      (instruction) => instruction.keyword === "ARG" && instruction.args.startsWith(`${name}=`),
    );
    return arg?.args.slice(name.length + 1) ?? "";
  });
}

/** The instructions of an app's Dockerfile, `apps/<app>/Dockerfile`. */
export async function appDockerfile(app: string): Promise<Instruction[]> {
  return instructions(await read(`apps/${app}/Dockerfile`));
}
