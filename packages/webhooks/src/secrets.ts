import type { WebhookSecret, WebhookSecretInfo } from "@darkroom/contracts";
import type { Redis } from "ioredis";
import { newWebhookSecret } from "./signature";

/**
 * How long, after a rotation, deliveries are signed with the secret before
 * as well as the new one: time to deploy the new secret to the receiver
 * without refusing a delivery meanwhile. @defaultValue 24 hours
 */
export const ROTATION_GRACE_MS = 24 * 3600 * 1000;

/**
 * Each owner's webhook secret, in Redis. Unlike API tokens, which Redis keeps
 * only hashed, a secret is kept as it is: signing needs the key itself, on
 * every worker. Who can read Redis can forge deliveries to this owner's
 * receiver, as they could already take over its queue; see the README's
 * Security model.
 */
export interface WebhookSecrets {
  /**
   * A new secret for the owner, shown to it this once. An owner that had one
   * rotates it: the one before goes on signing for `ROTATION_GRACE_MS`.
   */
  create(owner: string): Promise<WebhookSecret>;
  /** When the owner's secret was created; `undefined` when it has none. */
  describe(owner: string): Promise<WebhookSecretInfo | undefined>;
  /** The secrets a delivery is signed with now: the current one, and the one before during a rotation. */
  signingSecrets(owner: string): Promise<string[]>;
  /** Deletes the owner's secrets: deliveries waiting for it then fail. Whether there were any. */
  remove(owner: string): Promise<boolean>;
}

/** Swaps in the new secret and keeps the current one as the previous, in one step. */
const ROTATE = `
local current = redis.call('HGET', KEYS[1], 'secret')
if current then
  redis.call('HSET', KEYS[1], 'previous', current, 'previousUntil', ARGV[3])
else
  redis.call('HDEL', KEYS[1], 'previous', 'previousUntil')
end
redis.call('HSET', KEYS[1], 'secret', ARGV[1], 'createdAt', ARGV[2])
return current and 1 or 0
`;

export function webhookSecrets(redis: Redis, keyPrefix: string): WebhookSecrets {
  const key = (owner: string) => `${keyPrefix}:webhook-secret:${owner}`;
  const stored = async (owner: string) => {
    const fields = await redis.hgetall(key(owner));
    if (!fields.secret || !fields.createdAt) return undefined;
    const inGrace = fields.previous && fields.previousUntil && Date.parse(fields.previousUntil) > Date.now();
    return {
      secret: fields.secret,
      createdAt: fields.createdAt,
      previous: inGrace ? { secret: fields.previous!, until: fields.previousUntil! } : undefined,
    };
  };

  return {
    async create(owner) {
      const secret = newWebhookSecret();
      const createdAt = new Date().toISOString();
      const previousValidUntil = new Date(Date.now() + ROTATION_GRACE_MS).toISOString();
      const rotated = await redis.eval(ROTATE, 1, key(owner), secret, createdAt, previousValidUntil);
      return { secret, createdAt, ...(rotated === 1 && { previousValidUntil }) };
    },
    async describe(owner) {
      const found = await stored(owner);
      return (
        found && {
          createdAt: found.createdAt,
          ...(found.previous && { previousValidUntil: found.previous.until }),
        }
      );
    },
    async signingSecrets(owner) {
      const found = await stored(owner);
      if (!found) return [];
      return found.previous ? [found.secret, found.previous.secret] : [found.secret];
    },
    remove: async (owner) => (await redis.del(key(owner))) === 1,
  };
}
