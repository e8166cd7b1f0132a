import ipaddr from "ipaddr.js";
import { z } from "zod";

/** Webhook settings the API (which checks destinations) and the worker (which delivers) both read. */
export const notifyEnvSchema = z.object({
  /**
   * Networks a webhook may go to although they are not public, as CIDRs
   * separated by commas. Without them only public unicast addresses are
   * allowed: never loopback, private (RFC 1918), link-local (cloud metadata at
   * 169.254.169.254), unique-local, CGNAT, multicast or reserved ones.
   * `pnpm dev` and the tests allow loopback: `127.0.0.0/8,::1/128`.
   * @defaultValue "" (none)
   */
  NOTIFY_ALLOWED_CIDRS: z
    .string()
    .default("")
    .transform((value, ctx) => {
      const cidrs = value
        .split(",")
        .map((cidr) => cidr.trim())
        .filter(Boolean);
      const bad = cidrs.find((cidr) => !ipaddr.isValidCIDR(cidr));
      if (bad) ctx.addIssue({ code: "custom", message: `"${bad}" is not a CIDR such as 10.0.0.0/8` });
      return cidrs.map((cidr) => ipaddr.parseCIDR(cidr));
    }),
  /** How long one delivery may take, connection to answer, in seconds. @defaultValue 10 */
  NOTIFY_TIMEOUT_S: z.coerce.number().positive().default(10),
  /**
   * Seconds to wait before each retry of a delivery the receiver did not
   * accept, in order; when they are used up the delivery fails for good and
   * stays in the notify queue's dead-letter set. The default, after the first
   * try: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (27.6 hours in all, the
   * schedule Standard Webhooks' reference service uses).
   * @defaultValue "5,300,1800,7200,18000,36000,36000"
   */
  NOTIFY_RETRY_SCHEDULE_S: z
    .string()
    .default("5,300,1800,7200,18000,36000,36000")
    .transform((value, ctx) => {
      const delays = value.split(",").map((delay) => Number(delay.trim()));
      if (delays.some((delay) => !Number.isFinite(delay) || delay < 0))
        ctx.addIssue({ code: "custom", message: "a list of seconds, such as 5,300,1800" });
      return delays.map((delay) => Math.round(delay * 1000));
    }),
  /** Deliveries one worker process makes at once: they wait on the network, not the CPU. @defaultValue 16 */
  NOTIFY_CONCURRENCY: z.coerce.number().int().positive().default(16),
});

export interface NotifyConfig {
  /** What a destination may resolve to. */
  policy: DestinationPolicy;
  timeoutMs: number;
  /** Before each retry, in ms; one try more than there are delays. */
  retryDelaysMs: number[];
  concurrency: number;
}

export interface DestinationPolicy {
  /** Networks allowed although they are not public. */
  allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

export function notifyConfigFromEnv(env: z.infer<typeof notifyEnvSchema>): NotifyConfig {
  return {
    policy: { allowed: env.NOTIFY_ALLOWED_CIDRS },
    timeoutMs: env.NOTIFY_TIMEOUT_S * 1000,
    retryDelaysMs: env.NOTIFY_RETRY_SCHEDULE_S,
    concurrency: env.NOTIFY_CONCURRENCY,
  };
}
