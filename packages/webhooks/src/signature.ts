import { createHmac, randomBytes } from "node:crypto";

/** As Standard Webhooks writes secrets: recognisable in a leaked config, and taken as is by its libraries. */
const SECRET_PREFIX = "whsec_";

/** A new secret: 32 random bytes, `whsec_` and base64. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

/**
 * The `webhook-signature` header of Standard Webhooks: `v1,` and the base64
 * HMAC-SHA256 of `{id}.{timestamp}.{body}` under each secret, separated by
 * spaces. During a rotation two secrets sign, and a receiver that knows
 * either accepts the delivery.
 */
export function signWebhook(secrets: string[], id: string, timestampS: number, body: string): string {
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
      const mac = createHmac("sha256", key).update(`${id}.${timestampS}.${body}`).digest("base64");
      return `v1,${mac}`;
    })
    .join(" ");
}
