import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { composeVariable, generatedDotenv } from "./support/compose";
import { appImage, baseImages, finalStage } from "./support/dockerfile";
import { read, root } from "./support/repo";

describe.each(["api", "worker", "web"])("the %s image (its target in the root Dockerfile)", (app) => {
  const dockerfile = () => appImage(app);

  it("is built in stages, from pinned base images", async () => {
    const all = await dockerfile();
    const froms = all.filter((instruction) => instruction.keyword === "FROM");

    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(baseImages(all).length).toBeGreaterThanOrEqual(1);
    for (const image of baseImages(all)) expect(image).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+$/);
  });

  it("runs as a user other than root, and says how to check its health", async () => {
    const last = finalStage(await dockerfile());
    const user = last.findLast((instruction) => instruction.keyword === "USER");

    expect(user?.args).toBeDefined();
    expect(user?.args).not.toMatch(/^(root|0)(:|$)/);
    expect(last.some((instruction) => instruction.keyword === "HEALTHCHECK")).toBe(true);
    // nginx's image brings its own command.
    if (app !== "web") expect(last.some((instruction) => instruction.keyword === "CMD")).toBe(true);
  });

  it("installs from the lockfile, with the pnpm version package.json pins", async () => {
    const all = await dockerfile();
    const { packageManager } = JSON.parse(await read("package.json")) as { packageManager: string };
    const runs = all.filter((instruction) => instruction.keyword === "RUN").map((run) => run.args);

    expect(runs.some((run) => run.includes(`npm install --global ${packageManager}`))).toBe(true);
    expect(runs.some((run) => /pnpm install .*--frozen-lockfile/.test(run))).toBe(true);
  });

  it("copies only files that exist", async () => {
    const all = await dockerfile();
    const sources = all
      .filter((instruction) => instruction.keyword === "COPY" && !instruction.args.includes("--from="))
      .flatMap((copy) =>
        copy.args
          .split(" ")
          .filter((word) => !word.startsWith("--"))
          .slice(0, -1),
      );

    for (const source of sources.filter((path) => path !== "."))
      await expect(access(new URL(source, root))).resolves.toBeUndefined();
  });
});

describe.each(["api", "worker"])("the %s image, which runs sharp", (app) => {
  it("builds and runs on the same C library, so sharp's prebuilt libvips loads", async () => {
    const bases = baseImages(await appImage(app));

    expect(new Set(bases).size).toBe(1);
    expect(bases[0]).toMatch(/-(bookworm|bullseye|trixie)(-slim)?$/);
  });
});

describe("docker-compose.yml", () => {
  const config = (env: NodeJS.ProcessEnv) =>
    promisify(execFile)(
      "docker-compose",
      ["-f", fileURLToPath(new URL("docker-compose.yml", root)), "config", "--quiet"],
      { cwd: fileURLToPath(root), env: { PATH: process.env.PATH, ...env } },
    );

  it("is a valid Compose file (checked offline by docker-compose, no engine needed)", async () => {
    // As `.env` gives it: the secrets, which have no default.
    const { stderr } = await config(await generatedDotenv()).catch((error: Error) => {
      throw new Error(
        `${error.message}\ndocker-compose 1.29 checks the file without Docker: apt-get install docker-compose`,
      );
    });
    expect(stderr).toBe("");
  });

  it("refuses to start without each of its secrets, rather than run with a known one", async () => {
    const dotenv = await generatedDotenv();
    const required = [...(await read("docker-compose.yml")).matchAll(composeVariable)]
      .filter((match) => match[2] === "?")
      .map((match) => match[1]!);

    expect(new Set(required)).toEqual(
      new Set([
        "SESSION_SECRET",
        "S3_ACCESS_KEY_ID",
        "S3_SECRET_ACCESS_KEY",
        "MINIO_ROOT_USER",
        "MINIO_ROOT_PASSWORD",
      ]),
    );
    for (const name of new Set(required)) {
      const { [name]: _left, ...others } = dotenv;
      await expect(config(others)).rejects.toThrow(new RegExp(`set ${name} in \\.env`));
    }
  });
});
