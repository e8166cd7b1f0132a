import { renderVariants, DEFAULT_IMAGING_OPTIONS } from "@darkroom/imaging";
import type { ObjectStorage } from "@darkroom/storage";
import type { BenchPhoto } from "./photos";
import { runPool } from "./run-pool";

export interface Throughput {
  operations: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
}

async function measure(operations: number, concurrency: number, operation: (index: number) => Promise<void>) {
  const started = performance.now();
  await runPool(operations, concurrency, operation);
  const seconds = (performance.now() - started) / 1000;
  return { operations, concurrency, seconds, perSecond: operations / seconds };
}

/** The pipeline alone, in this process, as many at once as the workers run: the CPU limit. */
export function rawImaging(
  photos: readonly BenchPhoto[],
  operations: number,
  parallelism: number,
): Promise<Throughput> {
  return measure(operations, parallelism, async (index) => {
    await renderVariants(photos[index % photos.length]!.data, DEFAULT_IMAGING_OPTIONS);
  });
}

/** PUTs of the same files straight to S3, at the load's concurrency: the storage limit. */
export async function rawS3Put(
  storage: ObjectStorage,
  photos: readonly BenchPhoto[],
  operations: number,
  concurrency: number,
): Promise<Throughput> {
  const keys: string[] = [];
  try {
    return await measure(operations, concurrency, async (index) => {
      const key = `bench-baseline/${index}`;
      keys.push(key);
      await storage.put(key, photos[index % photos.length]!.data, "image/jpeg");
    });
  } finally {
    for (let start = 0; start < keys.length; start += 1000) {
      await storage.deleteMany(keys.slice(start, start + 1000));
    }
  }
}
