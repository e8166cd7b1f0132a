import { randomUUID } from "node:crypto";
import { inject } from "vitest";
// Declares what the global setup provides to `inject`.
import type {} from "./vitest-global-setup";

/**
 * The environment for one test file: the run's devstack, with a queue name
 * and S3 key prefix of its own, so test files never see each other's data.
 */
export function isolatedEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const scope = `test-${randomUUID()}`;
  return {
    ...inject("devstack"),
    QUEUE_NAME: scope,
    S3_KEY_PREFIX: `${scope}/`,
    LOG_LEVEL: "warn",
    ...overrides,
  };
}

/** The value of one sample in Prometheus text, as `name{labels}` (or `name` alone); 0 when it is not there yet. */
export function metricSample(text: string, name: string, labels?: string): number {
  const series = labels === undefined ? `${name} ` : `${name}{${labels}}`;
  const line = text.split("\n").find((candidate) => candidate.startsWith(series));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

export { browse, reachCallback, signedInCookie, type CookieJar } from "./sign-in-browser";
