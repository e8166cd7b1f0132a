import type { ObjectStorage } from "@darkroom/storage";
import { SNIFF_BYTES } from "@darkroom/imaging";

const PROBE_KEY = "bench-probe/photo";
const EVERY_MS = 100;

export interface StorageProbe {
  /** Stops probing, deletes the probe's object, and gives each check's time, ms. */
  stop(): Promise<number[]>;
}

/**
 * Times what completing a direct upload asks of storage, a ranged GET of the
 * first bytes, on an object of its own, every 100 ms while a load runs: the
 * S3 server's own share of the complete call, at the same moments.
 */
export async function probeStorage(storage: ObjectStorage, photo: Buffer): Promise<StorageProbe> {
  await storage.put(PROBE_KEY, photo, "image/jpeg");
  const samples: number[] = [];
  let running = true;
  const probing = (async () => {
    while (running) {
      const started = performance.now();
      await storage.readStart(PROBE_KEY, SNIFF_BYTES);
      samples.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await probing;
      await storage.deleteMany([PROBE_KEY]);
      return samples;
    },
  };
}
