import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { composeFile } from "./support/compose";
import { renderKustomization } from "./support/kustomize";
import { read, root } from "./support/repo";

interface Rules {
  groups: { name: string; rules: { alert: string; expr: string; annotations: Record<string, string> }[] }[];
}
interface RuleTests {
  tests: { name: string; alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
}

const promtool = (...args: string[]) =>
  promisify(execFile)("promtool", args, { cwd: fileURLToPath(new URL("infra/prometheus/", root)) }).catch(
    (error: Error & { stdout?: string }) => {
      throw new Error(
        `${error.message}\n${error.stdout ?? ""}\npromtool comes with Debian's prometheus package: apt-get install prometheus`,
      );
    },
  );

const alertsFile = async () => parse(await read("infra/prometheus/alerts.yml")) as Rules;
const alertNames = (rules: Rules) => rules.groups.flatMap((group) => group.rules.map((rule) => rule.alert));

describe("the alerts (infra/prometheus/alerts.yml)", () => {
  it("are valid rules, and pass their unit tests (promtool test rules)", async () => {
    await promtool("check", "rules", "alerts.yml");
    const { stdout } = await promtool("test", "rules", "alerts.test.yml");

    expect(stdout).toMatch(/SUCCESS/);
  });

  it("each have a test where it fires and one where it stays quiet, a summary and a runbook", async () => {
    const rules = await alertsFile();
    const { tests } = parse(await read("infra/prometheus/alerts.test.yml")) as RuleTests;
    const checks = tests.flatMap((test) => test.alert_rule_test);

    for (const alert of alertNames(rules)) {
      const outcomes = checks
        .filter((check) => check.alertname === alert)
        .map((check) => (check.exp_alerts.length > 0 ? "fires" : "quiet"));
      expect({ alert, outcomes: [...new Set(outcomes)].sort() }).toEqual({
        alert,
        outcomes: ["fires", "quiet"],
      });
    }
    for (const rule of rules.groups.flatMap((group) => group.rules)) {
      expect(Object.keys(rule.annotations).sort(), rule.alert).toEqual(["runbook", "summary"]);
    }
    expect(alertNames(rules)).toHaveLength(6);
  });

  it("are loaded by compose's Prometheus", async () => {
    const config = parse(await read("infra/prometheus/prometheus.yml")) as { rule_files?: string[] };
    const { services } = await composeFile();

    expect(config.rule_files).toEqual(["alerts.yml"]);
    expect(services.prometheus?.volumes).toContain(
      "./infra/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro",
    );
  });

  it("are shipped to Kubernetes as a PrometheusRule with the same groups", async () => {
    const [rule, ...others] = await renderKustomization(fileURLToPath(new URL("infra/k8s/monitoring", root)));

    expect(others).toEqual([]);
    expect(rule).toMatchObject({ kind: "PrometheusRule", metadata: { namespace: "darkroom" } });
    expect(rule!.spec).toEqual(await alertsFile());
  });
});
