import { createRenderPool, DEFAULT_IMAGING_OPTIONS, renderPhoto, type RenderPhoto } from "@darkroom/imaging";
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

/** The pipeline alone, in this process and on a render pool as the apps run it. */
export interface ImagingBaselines {
  inProcess: Throughput;
  /** On a render pool of `parallelism` threads, each photo's buffer moved to its thread. */
  isolated: Throughput;
}

/**
 * The pipeline alone, as many at once as the workers run, with no S3: the
 * CPU limit. Measured both ways in alternating rounds of `parallelism`
 * photos, so that each sees the same machine, after one untimed round each
 * (the pool starts its threads, libvips its caches).
 */
export async function rawImaging(
  photos: readonly BenchPhoto[],
  operations: number,
  parallelism: number,
): Promise<ImagingBaselines> {
  const pool = createRenderPool({ threads: parallelism, maxHeapMb: 128 });
  const ways: Record<keyof ImagingBaselines, RenderPhoto> = { inProcess: renderPhoto, isolated: pool.render };
  const seconds = { inProcess: 0, isolated: 0 };
  /** Renders photos `first` onwards, `count` of them; returns how long that took, in seconds. */
  const round = async (render: RenderPhoto, first: number, count: number) => {
    // Copied before the clock starts: the pool takes each buffer, as it takes the worker's.
    const inputs = Array.from({ length: count }, (_, index) =>
      Buffer.from(photos[(first + index) % photos.length]!.data),
    );
    const started = performance.now();
    await runPool(count, parallelism, async (index) => {
      await render(inputs[index]!, DEFAULT_IMAGING_OPTIONS);
    });
    return (performance.now() - started) / 1000;
  };
  try {
    for (const render of Object.values(ways)) await round(render, 0, parallelism);
    for (let done = 0; done < operations; done += parallelism) {
      const count = Math.min(parallelism, operations - done);
      for (const [way, render] of Object.entries(ways) as [keyof ImagingBaselines, RenderPhoto][])
        seconds[way] += await round(render, done, count);
    }
  } finally {
    await pool.close();
  }
  const throughput = (way: keyof ImagingBaselines): Throughput => ({
    operations,
    concurrency: parallelism,
    seconds: seconds[way],
    perSecond: operations / seconds[way],
  });
  return { inProcess: throughput("inProcess"), isolated: throughput("isolated") };
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
