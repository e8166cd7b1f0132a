// The root Dockerfile read as its instructions, one target at a time, for the
// tests of images and manifests.

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

interface Stage {
  name: string | undefined;
  /** What its FROM names: an image, or an earlier stage. */
  base: string;
  instructions: Instruction[];
}

function stages(all: Instruction[]): Stage[] {
  const result: Stage[] = [];
  for (const instruction of all) {
    if (instruction.keyword === "FROM") {
      const [base = "", as, name] = instruction.args.split(" ");
      result.push({ name: as?.toUpperCase() === "AS" ? name : undefined, base, instructions: [] });
    }
    result.at(-1)?.instructions.push(instruction);
  }
  return result;
}

/**
 * What `docker build --target <target>` builds: the global ARGs, then the
 * stages the target needs (the one it starts FROM, those it copies --from, and
 * theirs), in the file's order, the target last.
 */
export function targetInstructions(all: Instruction[], target: string): Instruction[] {
  const every = stages(all);
  const byName = new Map(every.filter((stage) => stage.name).map((stage) => [stage.name!, stage]));
  const needed = new Set<Stage>();
  const visit = (name: string) => {
    const stage = byName.get(name);
    if (!stage || needed.has(stage)) return;
    needed.add(stage);
    visit(stage.base);
    for (const instruction of stage.instructions) {
      const from = /--from=(\S+)/.exec(instruction.args)?.[1];
      if (instruction.keyword === "COPY" && from) visit(from);
    }
  };
  visit(target);
  if (needed.size === 0) throw new Error(`the Dockerfile has no stage named ${target}`);
  const globalArgs = all.slice(
    0,
    all.findIndex((instruction) => instruction.keyword === "FROM"),
  );
  return [
    ...globalArgs,
    ...every
      .filter((stage) => needed.has(stage) && stage.name !== target)
      .flatMap((stage) => stage.instructions),
    ...byName.get(target)!.instructions,
  ];
}

/**
 * The images a target is built from: each FROM that names no stage of the
 * file, with any `${ARG}` replaced by the ARG's default.
 */
export function baseImages(all: Instruction[]): string[] {
  const stageNames = new Set(stages(all).map((stage) => stage.name));
  return all
    .filter((instruction) => instruction.keyword === "FROM")
    .map((from) => from.args.split(" ")[0]!)
    .filter((image) => !stageNames.has(image))
    .map((image) =>
      image.replace(/\$\{(\w+)\}/g, (_, name: string) => {
        const arg = all.find(
          (instruction) => instruction.keyword === "ARG" && instruction.args.startsWith(`${name}=`),
        );
        return arg?.args.slice(name.length + 1) ?? "";
      }),
    );
}

/** The instructions that build one app's image: its target in the root Dockerfile. */
export async function appImage(app: string): Promise<Instruction[]> {
  return targetInstructions(instructions(await read("Dockerfile")), app);
}
