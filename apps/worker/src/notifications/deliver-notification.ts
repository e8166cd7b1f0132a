import { NotifyJobFailure, notifyJobSchema, type NotifyRun } from "@darkroom/queue";
import type { Logger } from "@darkroom/runtime";
import {
  checkDestination,
  deliver,
  DestinationRefused,
  signWebhook,
  type DestinationPolicy,
  type Resolve,
  type WebhookSecrets,
} from "@darkroom/webhooks";
import type { DeliveryMetrics, DeliveryOutcome } from "./delivery-metrics";

export interface NotificationDeps {
  secrets: WebhookSecrets;
  policy: DestinationPolicy;
  timeoutMs: number;
  metrics: DeliveryMetrics;
  logger: Logger;
  /** DNS, replaced in tests. */
  resolve?: Resolve;
}

/**
 * The `notify` job: one Standard Webhooks delivery. The destination is
 * checked again now, whatever it resolved to when the upload was accepted;
 * the body is the job's, the same on every retry, signed afresh with a
 * current timestamp. A 2xx accepts it; anything else is tried again on the
 * retry schedule. Nothing here touches the upload itself.
 */
export function createNotificationHandler({
  secrets,
  policy,
  timeoutMs,
  metrics,
  logger,
  resolve,
}: NotificationDeps) {
  return async (run: NotifyRun): Promise<void> => {
    const finished = metrics.start();
    const parsed = notifyJobSchema.safeParse(run.data);
    if (!parsed.success) {
      finished("failed", "invalid");
      throw new NotifyJobFailure("The notify job's data is not valid.");
    }
    const { webhookId, owner, url, payload } = parsed.data;
    const log = logger.child({ webhookId, uploadId: payload.data.id, attempt: run.attemptsMade + 1 });
    const retryOrFail: DeliveryOutcome = run.isLastAttempt ? "failed" : "retried";
    const refuse = (result: string, reason: string): never => {
      finished("failed", result);
      log.warn({ reason }, "webhook not delivered, and not tried again");
      throw new NotifyJobFailure(reason);
    };

    const signing = await secrets.signingSecrets(owner);
    if (signing.length === 0) refuse("no_secret", "The owner has no webhook secret any more.");
    const destination = await checkDestination(new URL(url), policy, resolve).catch((error: unknown) => {
      if (error instanceof DestinationRefused) return refuse("refused", error.message);
      throw error;
    });
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      "webhook-id": webhookId,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signWebhook(signing, webhookId, timestamp, body),
    };
    const answer = await deliver(destination, body, headers, { timeoutMs }).catch((error: unknown) => {
      const timedOut =
        error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      finished(retryOrFail, timedOut ? "timeout" : "network");
      log.warn({ reason: error instanceof Error ? error.message : String(error) }, "webhook not delivered");
      throw new Error(timedOut ? `No answer within ${timeoutMs} ms.` : "The receiver could not be reached.", {
        cause: error,
      });
    });
    const statusClass = `${Math.floor(answer.status / 100)}xx`;
    if (answer.status >= 200 && answer.status < 300) {
      finished("delivered", statusClass);
      log.info({ status: answer.status }, "webhook delivered");
      return;
    }
    finished(retryOrFail, statusClass);
    log.warn({ status: answer.status }, "webhook refused by its receiver");
    // The failed job keeps this as its reason: the receiver's own words help its owner.
    throw new Error(`The receiver answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  };
}
