import { afterAll, describe, expect, it } from "vitest";
import { createRenderPool, DEFAULT_IMAGING_OPTIONS, renderPhoto, type RenderPool } from "../src";
import { crashingPhoto, heifEnc, noisyPhoto, solidImage, TEST_CRASH_MARKER } from "../src/testing";

// Each pool starts cold threads that load sharp and compile this source before they render.
describe("a render pool", { timeout: 30_000 }, () => {
  const pools: RenderPool[] = [];
  const poolOf = (threads: number, maxHeapMb = 128) => {
    const pool = createRenderPool({ threads, maxHeapMb, crashMarker: TEST_CRASH_MARKER });
    pools.push(pool);
    return pool;
  };
  afterAll(() => Promise.all(pools.map((pool) => pool.close())));

  it("renders on a thread the same variants and placeholder as in this one, telling each size as it starts", async () => {
    const photo = await noisyPhoto(2400, 1600);
    const sizes: string[] = [];

    const isolated = await poolOf(1).render(Buffer.from(photo), DEFAULT_IMAGING_OPTIONS, (name) => {
      sizes.push(name);
    });

    const inProcess = await renderPhoto(photo, DEFAULT_IMAGING_OPTIONS);
    expect(sizes).toEqual(["large", "medium", "thumb"]);
    expect(isolated.thumbhash).toBe(inProcess.thumbhash);
    expect(isolated.variants.map(({ data, ...variant }) => ({ ...variant, data: [...data] }))).toEqual(
      inProcess.variants.map(({ data, ...variant }) => ({ ...variant, data: [...data] })),
    );
    expect(isolated.variants.every(({ data }) => Buffer.isBuffer(data))).toBe(true);
  });

  it("moves a whole buffer to its thread rather than copying it", async () => {
    const photo = await noisyPhoto(800, 600);
    const whole = Buffer.from(photo);

    await poolOf(1).render(whole, DEFAULT_IMAGING_OPTIONS);

    expect(whole.byteLength).toBe(0);
    expect(photo.byteLength).toBeGreaterThan(0);
  });

  it("fails a bad file with the decoder's reason, as in this thread", async () => {
    const whole = await noisyPhoto(800, 600);

    await expect(
      poolOf(1).render(whole.subarray(0, whole.length / 2), DEFAULT_IMAGING_OPTIONS),
    ).rejects.toMatchObject({ name: "ImageRejectedError", code: "IMAGE_CORRUPT", message: /premature end/i });
  });

  it("fails a photo whose thread runs out of memory with IMAGE_DECODER_CRASHED, and renders the others", async () => {
    const pool = poolOf(2, 32);
    const photo = await noisyPhoto(1200, 800);

    const [crashed, ...others] = await Promise.allSettled([
      pool.render(await crashingPhoto(), DEFAULT_IMAGING_OPTIONS),
      ...[1, 2, 3].map(() => pool.render(Buffer.from(photo), DEFAULT_IMAGING_OPTIONS)),
    ]);

    expect(crashed).toMatchObject({
      status: "rejected",
      reason: { code: "IMAGE_DECODER_CRASHED", message: /more than its 32 MB of memory/ },
    });
    expect(others.map(({ status }) => status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    // The thread that crashed was replaced.
    await expect(pool.render(Buffer.from(photo), DEFAULT_IMAGING_OPTIONS)).resolves.toMatchObject({
      variants: expect.arrayContaining([expect.objectContaining({ name: "thumb" })]) as unknown,
    });
  });

  it("keeps this thread's event loop free while a HEIC decodes, which in-process blocks it", async () => {
    const heic = await heifEnc(await noisyPhoto(2000, 1500));
    const pool = poolOf(1);
    await pool.render(Buffer.from(heic), DEFAULT_IMAGING_OPTIONS);

    const inProcess = await longestStall(() => renderPhoto(heic, DEFAULT_IMAGING_OPTIONS));
    const isolated = await longestStall(() => pool.render(Buffer.from(heic), DEFAULT_IMAGING_OPTIONS));

    expect(inProcess).toBeGreaterThan(200);
    expect(isolated).toBeLessThan(inProcess / 4);
  });

  it("finishes the renders in progress when closed, then refuses more", async () => {
    const pool = createRenderPool({ threads: 1, maxHeapMb: 128 });
    const rendering = pool.render(await noisyPhoto(2400, 1600), DEFAULT_IMAGING_OPTIONS);
    await new Promise((resolve) => setTimeout(resolve, 50));

    await pool.close();

    await expect(rendering).resolves.toMatchObject({ thumbhash: expect.any(String) as unknown });
    await expect(pool.render(await solidImage(64, 48), DEFAULT_IMAGING_OPTIONS)).rejects.toThrow(/closed/);
  });
});

/** The longest the event loop went without running a 5 ms timer while `work` ran, in ms. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  const ticking = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
    return Math.max(longest, performance.now() - last);
  } finally {
    clearInterval(ticking);
  }
}
