import { notifyJobFor, type EndedUpload, type NotifyQueue } from "@darkroom/queue";
import type { Logger } from "@darkroom/runtime";
import {
  checkDestination,
  DestinationRefused,
  parseNotifyUrl,
  type DestinationPolicy,
  type Resolve,
  type WebhookSecrets,
} from "@darkroom/webhooks";
import type { RequestHandler } from "express";
import type { Redis } from "ioredis";
import { AppError } from "../http/app-error";
import { ownerOf } from "../identity/owner";
import { assertRedisReady } from "../redis/redis-ready";

/** The header that asks for a webhook, on the request that creates an upload, in every mode. */
export const NOTIFY_URL_HEADER = "Upload-Notify-Url";

declare global {
  // Express's own way to add to its request type.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `notifications.destination` from `Upload-Notify-Url`, once checked. */
      notifyUrl?: string;
    }
  }
}

export interface Notifications {
  secrets: WebhookSecrets;
  /**
   * Checks `Upload-Notify-Url`, when a request has one, before any of its
   * body is read or anything is signed: `400 NOTIFY_URL_REFUSED` for a URL
   * or an address webhooks may not go to, `409 WEBHOOK_SECRET_REQUIRED` for
   * an owner with no secret to sign them. The URL checked is `req.notifyUrl`.
   */
  destination: RequestHandler;
  /** Queues the webhook of a sync upload, which ended in its request. Never throws. */
  completedInline(upload: Omit<EndedUpload, "mode">, log: Logger): Promise<void>;
}

export interface NotificationsDeps {
  redis: Redis;
  secrets: WebhookSecrets;
  queue: NotifyQueue;
  policy: DestinationPolicy;
  /** DNS, replaced in tests. */
  resolve?: Resolve;
}

export function notifications({ redis, secrets, queue, policy, resolve }: NotificationsDeps): Notifications {
  return {
    secrets,
    async destination(req, _res, next) {
      const raw = req.get(NOTIFY_URL_HEADER);
      if (raw === undefined) return next();
      try {
        const { url } = await checkDestination(parseNotifyUrl(raw.trim()), policy, resolve);
        req.notifyUrl = url.href;
      } catch (error) {
        if (error instanceof DestinationRefused)
          throw new AppError("NOTIFY_URL_REFUSED", `${NOTIFY_URL_HEADER} is refused: ${error.message}`);
        throw error;
      }
      assertRedisReady(redis);
      if ((await secrets.signingSecrets(ownerOf(req).id)).length === 0)
        throw new AppError("WEBHOOK_SECRET_REQUIRED");
      next();
    },
    async completedInline(upload, log) {
      const job = notifyJobFor({ ...upload, mode: "sync" }, { status: "completed" });
      if (!job) return;
      await queue.enqueue(job).catch((error: unknown) => {
        log.error({ err: error, webhookId: job.webhookId }, "webhook not queued: the upload's status stands");
      });
    },
  };
}

/** The checked destination, as a field to add to an upload's job. */
export const notifyUrlOf = (req: { notifyUrl?: string }) =>
  req.notifyUrl === undefined ? {} : { notifyUrl: req.notifyUrl };
