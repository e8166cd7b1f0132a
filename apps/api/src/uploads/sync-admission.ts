import pLimit, { type LimitFunction } from "p-limit";
import { AppError } from "../http/app-error";

export interface SyncLimits {
  /** Sync requests admitted at once, from the first byte read to the answer. */
  maxInFlight: number;
  /** Photos processed inline at once: sharp is CPU-bound, so about one per core. */
  concurrency: number;
}

export interface SyncAdmission {
  /**
   * Runs one sync request, or refuses it at once with `SYNC_SATURATED` when
   * `maxInFlight` are already in: answering 503 before reading the body
   * beats letting every request slow to a crawl. `work` runs the CPU-bound
   * part through `process`, which lets `concurrency` of them run at once.
   */
  admit<T>(work: (process: LimitFunction) => Promise<T>): Promise<T>;
}

export function syncAdmission(limits: SyncLimits): SyncAdmission {
  const processing = pLimit(limits.concurrency);
  let inFlight = 0;
  return {
    async admit(work) {
      if (inFlight >= limits.maxInFlight) throw new AppError("SYNC_SATURATED");
      inFlight++;
      try {
        return await work(processing);
      } finally {
        inFlight--;
      }
    },
  };
}
