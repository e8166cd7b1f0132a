import { z } from "zod";

export const nodeEnvSchema = z.object({
  /** `production` refuses placeholder secrets. @defaultValue development; the Docker images set production */
  NODE_ENV: z.string().default("development"),
});

const ownS3User =
  "give the apps an S3 user of their own, never MinIO's root (docker compose's minio-setup makes one from .env)";

/**
 * The settings that hold secrets, with how to make a real value for each. A
 * `_URL` setting's secret is its password.
 */
export const secretSettings = {
  REDIS_URL: "put a password of your own in the URL (openssl rand -hex 24)",
  S3_ACCESS_KEY_ID: ownS3User,
  S3_SECRET_ACCESS_KEY: ownS3User,
  SESSION_SECRET: "openssl rand -base64 48",
  ADMIN_PASSWORD: "openssl rand -base64 24",
  OIDC_CLIENT_SECRET: "the client secret your OpenID provider issued for this application",
} as const;

export type SecretSetting = keyof typeof secretSettings;

/**
 * Values published with Darkroom, which anyone can read: MinIO's default root
 * credentials (the S3 settings' development default) and the `change-me…`
 * stand-ins of `.env.example` and `infra/k8s/secret.env.example`.
 */
const published = [/^minioadmin$/i, /change[-_ ]?me/i];

/** Whether a secret setting's value is one everybody knows; `alsoKnown` adds an app's own stand-ins. */
export function isPlaceholderSecret(
  name: SecretSetting,
  value: string,
  alsoKnown: readonly string[] = [],
): boolean {
  const secret = name.endsWith("_URL") ? passwordOf(value) : value;
  if (!secret) return false;
  return alsoKnown.includes(secret) || published.some((pattern) => pattern.test(secret));
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return "";
  }
}

/**
 * Refuses to start in production when a secret setting the app read (one of
 * `secretSettings` present in `env`) holds a placeholder. The error names each
 * setting and says how to make a real value; it never shows the value.
 * Elsewhere the placeholders stand in, so that `pnpm dev` needs no env.
 */
export function refusePlaceholderSecrets(
  env: { NODE_ENV: string } & Partial<Record<SecretSetting, string | undefined>>,
  alsoKnown: readonly string[] = [],
): void {
  if (env.NODE_ENV !== "production") return;
  const placeholders = (Object.keys(secretSettings) as SecretSetting[]).filter((name) => {
    const value = env[name];
    return value !== undefined && isPlaceholderSecret(name, value, alsoKnown);
  });
  if (placeholders.length === 0) return;
  throw new Error(
    [
      "Refusing to start in production with a placeholder secret, published where anyone can read it " +
        "(a default, MinIO's root key, or an example file's value):",
      ...placeholders.map((name) => `  ${name}: ${secretSettings[name]}`),
    ].join("\n"),
  );
}
