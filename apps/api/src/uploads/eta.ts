import type { PhotoQueue, WorkerPace } from "@darkroom/queue";

/** Completed jobs the run time is averaged over: enough to smooth one slow photo out, few enough to follow a change of load. */
const PACE_SAMPLE = 20;
/** Every snapshot asks; the workers' pace changes over seconds, not milliseconds. */
const PACE_MAX_AGE_MS = 1_000;

/**
 * How long until an upload is done, ms, from the workers' measured pace: its
 * run time under the present load, and how many jobs run at once.
 * `undefined` when nothing can be said: no job has completed yet, or, of a
 * waiting upload, while the workers take no jobs (none connected, or the
 * queue paused).
 */
export interface Eta {
  /** For an upload `position`th in line (1 is next). */
  whileWaiting(position: number): Promise<number | undefined>;
  /** For an upload a worker took `runningMs` ago. */
  whileRunning(runningMs: number): Promise<number | undefined>;
}

export function createEta(queue: Pick<PhotoQueue, "pace">, now = () => Date.now()): Eta {
  let reading: { at: number; pace: Promise<WorkerPace | undefined> } | undefined;
  const pace = () => {
    if (!reading || now() - reading.at > PACE_MAX_AGE_MS) {
      reading = { at: now(), pace: queue.pace(PACE_SAMPLE) };
      // A failed read is not kept: the next snapshot asks again.
      reading.pace.catch(() => (reading = undefined));
    }
    return reading.pace;
  };
  return {
    async whileWaiting(position) {
      const measured = await pace();
      if (!measured?.takingJobs) return undefined;
      // The jobs ahead end `slots` at a time, one every `medianRunMs / slots`
      // or so; this one starts as the `position`th of them ends, then runs its own time.
      return Math.round((position / measured.slots + 1) * measured.medianRunMs);
    },
    async whileRunning(runningMs) {
      const measured = await pace();
      return measured && Math.round(Math.max(0, measured.medianRunMs - runningMs));
    },
  };
}
