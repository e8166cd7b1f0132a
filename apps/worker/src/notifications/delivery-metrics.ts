import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** How a delivery attempt ended: `retried` will be tried again, `failed` will not. */
export type DeliveryOutcome = "delivered" | "retried" | "failed";

/**
 * Why, in a few words a dashboard can group by: the answer's status class
 * (`2xx` … `5xx`), or `timeout`, `network`, `refused` (the destination's
 * address is not allowed), `no_secret`, `invalid`.
 */
export type DeliveryResult = string;

export interface DeliveryMetrics {
  /** Starts timing one attempt. */
  start(): (outcome: DeliveryOutcome, result: DeliveryResult) => void;
}

/** @param deadLetters how many deliveries failed for good and are kept, read at each scrape */
export function createDeliveryMetrics(
  registry: Registry,
  deadLetters?: () => Promise<number>,
): DeliveryMetrics {
  if (deadLetters)
    new Gauge({
      name: "darkroom_webhook_dead_letters",
      help: "Webhook deliveries that failed for good and are kept in the notify queue's failed set.",
      registers: [registry],
      async collect() {
        // NaN while Redis is away: unknown, not zero.
        this.set(await deadLetters().catch(() => Number.NaN));
      },
    });
  const attempts = new Counter({
    name: "darkroom_webhook_attempts_total",
    help: "Webhook delivery attempts, by outcome and by what the receiver answered.",
    labelNames: ["outcome", "result"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "darkroom_webhook_attempt_duration_seconds",
    help: "Time of each webhook delivery attempt, from its check to the receiver's answer, by outcome.",
    labelNames: ["outcome"],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    start() {
      const end = duration.startTimer();
      return (outcome, result) => {
        end({ outcome });
        attempts.inc({ outcome, result });
      };
    },
  };
}
