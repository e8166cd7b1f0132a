import { Agent, FormData, request } from "undici";
import type { BenchPhoto } from "./photos";
import { runPool } from "./run-pool";

export type Outcome =
  | { kind: "ok"; status: number; ms: number; body: unknown }
  | { kind: "status"; status: number; ms: number }
  | { kind: "timeout"; ms: number }
  | { kind: "connection"; ms: number; message: string };

export interface LoadOptions {
  url: string;
  photos: readonly BenchPhoto[];
  count: number;
  concurrency: number;
  timeoutMs: number;
  /** Called as each answer arrives, with when its request started (performance.now()). */
  onOutcome?: (outcome: Outcome, startedAt: number, index: number) => void;
}

/**
 * Posts `count` photos to `url`, `concurrency` at a time, each over its own
 * connection, and records how each one ended.
 */
export async function sendUploads({ url, photos, count, concurrency, timeoutMs, onOutcome }: LoadOptions) {
  const agent = new Agent({ connections: concurrency, headersTimeout: 0, bodyTimeout: 0 });
  const outcomes: Outcome[] = [];
  try {
    await runPool(count, concurrency, async (index) => {
      const photo = photos[index % photos.length]!;
      const form = new FormData();
      form.append("file", new Blob([photo.data], { type: "image/jpeg" }), photo.name);
      const startedAt = performance.now();
      const outcome = await send(agent, { url, form }, timeoutMs, startedAt);
      outcomes[index] = outcome;
      onOutcome?.(outcome, startedAt, index);
    });
  } finally {
    await agent.close();
  }
  return outcomes;
}

async function send(
  agent: Agent,
  { url, form }: { url: string; form: FormData },
  timeoutMs: number,
  startedAt: number,
): Promise<Outcome> {
  const elapsed = () => performance.now() - startedAt;
  try {
    const response = await request(url, {
      method: "POST",
      body: form,
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body: unknown = await response.body.json().catch(() => undefined);
    const ms = elapsed();
    return response.statusCode < 300
      ? { kind: "ok", status: response.statusCode, ms, body }
      : { kind: "status", status: response.statusCode, ms };
  } catch (error) {
    const ms = elapsed();
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      return { kind: "timeout", ms };
    }
    return { kind: "connection", ms, message: error instanceof Error ? error.message : String(error) };
  }
}
