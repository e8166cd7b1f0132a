import { createHash, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { assertRedisReady } from "../redis/redis-ready";

/** Recognisable in a leaked config or log, as GitHub's `ghp_` is. */
const TOKEN_PREFIX = "drk_";

/**
 * Bearer tokens for API clients, minted by `POST /api/sessions`. A token is
 * random and opaque; Redis keeps only its hash, with its owner, until it
 * expires or is revoked, so a token can be withdrawn at once on every instance.
 */
export interface ApiTokens {
  mint(ownerId: string): Promise<{ token: string; expiresAt: Date }>;
  /** The owner a token acts for; `undefined` when it is unknown, expired or revoked. */
  ownerIdFor(token: string): Promise<string | undefined>;
  revoke(token: string): Promise<void>;
}

export function apiTokens(redis: Redis, keyPrefix: string, ttlS: number): ApiTokens {
  const key = (token: string) =>
    `${keyPrefix}:api-token:${createHash("sha256").update(token).digest("base64url")}`;
  return {
    async mint(ownerId) {
      const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
      await redis.set(key(token), ownerId, "EX", ttlS);
      return { token, expiresAt: new Date(Date.now() + ttlS * 1000) };
    },
    async ownerIdFor(token) {
      if (!token.startsWith(TOKEN_PREFIX)) return undefined;
      assertRedisReady(redis);
      return (await redis.get(key(token))) ?? undefined;
    },
    async revoke(token) {
      await redis.del(key(token));
    },
  };
}
