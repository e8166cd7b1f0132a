/**
 * Waits until the API at `url` says it is ready, as a load balancer would
 * before sending it traffic: it listens a moment before its Redis connection
 * opens, and answers 503 until then.
 */
export async function untilApiReady(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await fetch(`${url}/api/readyz`)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`The API at ${url} was not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
