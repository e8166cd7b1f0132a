import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { apiEnvSchema } from "../../apps/api/src/env";
import { workerEnvSchema } from "../../apps/worker/src/env";
import { appImage, finalStage } from "./support/dockerfile";
import { renderKustomization, type K8sObject } from "./support/kustomize";
import { read, root } from "./support/repo";

interface Port {
  name: string;
  containerPort: number;
}
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image: string;
  ports?: Port[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface Deployment extends K8sObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        containers: Container[];
        securityContext?: { runAsNonRoot?: boolean };
        automountServiceAccountToken?: boolean;
      };
    };
  };
}
interface Service extends K8sObject {
  spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string }[] };
}
interface IngressPath {
  path: string;
  backend: { service: { name: string; port: { name: string } } };
}
interface Ingress extends K8sObject {
  spec: { tls?: { hosts: string[] }[]; rules: { host: string; http: { paths: IngressPath[] } }[] };
}

const apps = { api: apiEnvSchema, worker: workerEnvSchema, web: undefined } as const;
type App = keyof typeof apps;

let objects: K8sObject[];
const all = <T extends K8sObject>(kind: string) => objects.filter((object) => object.kind === kind) as T[];
const one = <T extends K8sObject>(kind: string, name: string) => {
  const found = all<T>(kind).find((object) => object.metadata.name === name);
  if (!found) throw new Error(`The kustomization renders no ${kind} ${name}`);
  return found;
};
/** kustomize names generated ConfigMaps `<name>-<hash of content>`, and references them so. */
const configMap = (name: string) => one<K8sObject & { data: Record<string, string> }>("ConfigMap", name).data;
const containerOf = (app: App) => one<Deployment>("Deployment", app).spec.template.spec.containers[0]!;
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The values of secret.env.example, which documents the Secret the manifests read. */
async function exampleSecret(): Promise<Record<string, string>> {
  const lines = (await read("infra/k8s/secret.env.example")).split("\n");
  const entries = lines.flatMap((line) => {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    return match ? [[match[1]!, match[2]!] as const] : [];
  });
  return Object.fromEntries(entries);
}

/** What a container's process sees: its ConfigMaps, its values, and its secrets as the example has them. */
async function environmentOf(container: Container): Promise<Record<string, string>> {
  const secret = await exampleSecret();
  const fromConfigMaps = (container.envFrom ?? []).map((source) => configMap(source.configMapRef!.name));
  const fromEnv = (container.env ?? []).map((variable) => ({
    [variable.name]: variable.value ?? secret[variable.valueFrom!.secretKeyRef!.key]!,
  }));
  return Object.assign({}, ...fromConfigMaps, ...fromEnv) as Record<string, string>;
}

/** Port and path of the URL an image's HEALTHCHECK fetches. */
async function imageHealthcheck(app: App): Promise<{ exposed: number; port: number; path: string }> {
  const stage = finalStage(await appImage(app));
  const url = /http:\/\/127\.0\.0\.1:(\d+)(\/[\w/]*)/.exec(
    stage.find((instruction) => instruction.keyword === "HEALTHCHECK")!.args,
  )!;
  const exposed = Number(stage.find((instruction) => instruction.keyword === "EXPOSE")!.args);
  return { exposed, port: Number(url[1]), path: url[2]! };
}

beforeAll(async () => {
  objects = await renderKustomization(fileURLToPath(new URL("infra/k8s", root)));
});

describe("the Kubernetes manifests (infra/k8s)", () => {
  it("render: the three apps, their Services, budgets and autoscaler, all in one namespace", () => {
    const names = (kind: string) =>
      all(kind)
        .map((object) => object.metadata.name)
        .sort();

    expect(names("Deployment")).toEqual(["api", "web", "worker"]);
    expect(names("Service")).toEqual(["api", "web"]);
    expect(names("PodDisruptionBudget")).toEqual(["api", "web", "worker"]);
    expect(names("ScaledObject")).toEqual(["worker"]);
    expect(names("Ingress")).toEqual(["darkroom"]);
    const namespaced = objects.filter((object) => object.kind !== "Namespace");
    expect(new Set(namespaced.map((object) => object.metadata.namespace))).toEqual(new Set(["darkroom"]));
  });

  describe.each(Object.keys(apps) as App[])("the %s Deployment", (app) => {
    it("has probes on a port it declares, requests and limits, and runs as a user other than root", () => {
      const deployment = one<Deployment>("Deployment", app);
      const container = containerOf(app);
      const portNames = (container.ports ?? []).map((port) => port.name);

      expect(selects(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(
        true,
      );
      for (const probe of [container.livenessProbe, container.readinessProbe]) {
        expect(probe?.httpGet.path).toMatch(/^\//);
        expect(portNames).toContain(probe?.httpGet.port);
      }
      for (const amounts of [container.resources?.requests, container.resources?.limits])
        expect(Object.keys(amounts ?? {})).toEqual(expect.arrayContaining(["cpu", "memory"]));
      expect(deployment.spec.template.spec.securityContext?.runAsNonRoot).toBe(true);
    });

    it(`runs the ${app} image at a pinned tag, on its port, probed where its HEALTHCHECK looks`, async () => {
      const container = containerOf(app);
      const image = await imageHealthcheck(app);

      expect(container.image).toMatch(new RegExp(`/darkroom/${app}:\\d+\\.\\d+\\.\\d+$`));
      expect(container.ports?.map((port) => port.containerPort)).toEqual([image.exposed]);
      expect(image.port).toBe(image.exposed);
      expect(container.livenessProbe?.httpGet.path).toBe(image.path);
    });

    it("is kept available by a PodDisruptionBudget that selects its pods, and lets a node drain", () => {
      const deployment = one<Deployment>("Deployment", app);
      const budget = one<
        K8sObject & {
          spec: {
            selector: { matchLabels: Record<string, string> };
            minAvailable?: number;
            maxUnavailable?: number;
          };
        }
      >("PodDisruptionBudget", app);
      // A Deployment without replicas is scaled by KEDA, from one.
      const replicas = deployment.spec.replicas ?? 1;

      expect(selects(budget.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
      const evictable = budget.spec.maxUnavailable ?? replicas - (budget.spec.minAvailable ?? replicas);
      expect(evictable).toBeGreaterThanOrEqual(1);
    });
  });

  describe.each(["api", "worker"] as const)("the %s's settings", (app) => {
    it("are only names its env schema reads, and values it accepts", async () => {
      const schema = apps[app];
      const environment = await environmentOf(containerOf(app));

      expect(Object.keys(environment).filter((name) => !(name in schema.shape))).toEqual([]);
      expect(schema.safeParse(environment).error).toBeUndefined();
    });
  });

  it("reads from the Secret only keys secret.env.example documents, and documents no others", async () => {
    const documented = Object.keys(await exampleSecret()).sort();
    const fromContainers = (["api", "worker"] as const).flatMap((app) =>
      (containerOf(app).env ?? []).flatMap((variable) => variable.valueFrom?.secretKeyRef ?? []),
    );
    const read = fromContainers;

    expect(new Set(read.map((ref) => ref.name))).toEqual(new Set(["darkroom"]));
    expect([...new Set(read.map((ref) => ref.key))].sort()).toEqual(documented);
  });

  it("route /api, /socket.io and /admin/queues to the API, sticky for socket.io's polling, and the rest to web", () => {
    const ingress = one<Ingress>("Ingress", "darkroom");
    const paths = ingress.spec.rules.flatMap((rule) => rule.http.paths);
    const routes = Object.fromEntries(paths.map((path) => [path.path, path.backend.service.name]));

    expect(routes).toEqual({ "/api": "api", "/socket.io": "api", "/admin/queues": "api", "/": "web" });
    expect(ingress.spec.tls?.flatMap((tls) => tls.hosts)).toEqual(
      ingress.spec.rules.map((rule) => rule.host),
    );
    // Uploads pass as they come, whatever their size: the API limits them, with its own error.
    expect(ingress.metadata.annotations).toMatchObject({
      "nginx.ingress.kubernetes.io/affinity": "cookie",
      "nginx.ingress.kubernetes.io/proxy-body-size": "0",
      "nginx.ingress.kubernetes.io/proxy-request-buffering": "off",
    });
    for (const { backend } of paths) {
      const service = one<Service>("Service", backend.service.name);
      const pods = one<Deployment>("Deployment", backend.service.name);
      expect(selects(service.spec.selector, pods.spec.template.metadata.labels)).toBe(true);
      const port = service.spec.ports.find((port) => port.name === backend.service.port.name);
      expect(containerOf(backend.service.name as App).ports?.map((p) => p.name)).toContain(port?.targetPort);
    }
  });

  it("let nothing in by default: the Ingress controller reaches web and API, Prometheus the metrics ports", () => {
    type Peer = { namespaceSelector?: Selector; podSelector?: Selector };
    type Selector = { matchLabels: Record<string, string> };
    type Policy = K8sObject & {
      spec: { podSelector: Partial<Selector>; ingress?: { from: Peer[]; ports: { port: string }[] }[] };
    };
    const policies = all<Policy>("NetworkPolicy");
    const denyAll = policies.find((policy) => Object.keys(policy.spec.podSelector).length === 0);
    expect(denyAll?.spec.ingress).toBeUndefined();
    const allowed = (app: App) => {
      const policy = policies.find(
        (candidate) => candidate.spec.podSelector.matchLabels?.["app.kubernetes.io/name"] === app,
      );
      return (policy?.spec.ingress ?? []).flatMap((rule) =>
        rule.from.map((peer) => ({
          from:
            peer.namespaceSelector?.matchLabels["kubernetes.io/metadata.name"] ??
            peer.podSelector?.matchLabels["app.kubernetes.io/name"],
          ports: rule.ports.map((port) => port.port),
        })),
      );
    };

    expect(allowed("api")).toEqual([
      { from: "ingress-nginx", ports: ["http"] },
      { from: "web", ports: ["http"] },
      { from: "monitoring", ports: ["http"] },
    ]);
    expect(allowed("web")).toEqual([{ from: "ingress-nginx", ports: ["http"] }]);
    expect(allowed("worker")).toEqual([{ from: "monitoring", ports: ["ops"] }]);
    // Each port named is one its pods declare.
    for (const app of Object.keys(apps) as App[]) {
      const declared = one<Deployment>("Deployment", app).spec.template.spec.containers.flatMap((container) =>
        (container.ports ?? []).map((port) => port.name),
      );
      for (const { ports } of allowed(app)) expect(declared).toEqual(expect.arrayContaining(ports));
    }
  });

  it("mount no service account token in any pod: none calls the Kubernetes API", () => {
    for (const deployment of all<Deployment>("Deployment"))
      expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it("scale the worker with KEDA on the jobs waiting, as the API's metrics count them", () => {
    const scaled = one<
      K8sObject & {
        spec: {
          scaleTargetRef: { name: string };
          minReplicaCount: number;
          maxReplicaCount: number;
          triggers: { type: string; metadata: { query: string; threshold: string } }[];
        };
      }
    >("ScaledObject", "worker");
    const [trigger] = scaled.spec.triggers;

    expect(scaled.spec.scaleTargetRef.name).toBe("worker");
    // One worker always runs: it also runs the reconciler.
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaled.spec.maxReplicaCount).toBeGreaterThan(scaled.spec.minReplicaCount);
    expect(trigger?.type).toBe("prometheus");
    // The fair order keeps waiting jobs in BullMQ's prioritized set: a length of its wait list would miss them.
    expect(trigger?.metadata.query).toBe('max(darkroom_queue_jobs{state="waiting"})');
    expect(Number(trigger?.metadata.threshold)).toBeGreaterThan(0);
  });
});
