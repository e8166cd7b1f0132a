/** Runs `task` for each index with at most `concurrency` running at once. */
export async function runPool(count: number, concurrency: number, task: (index: number) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await task(next++);
  });
  await Promise.all(lanes);
}
