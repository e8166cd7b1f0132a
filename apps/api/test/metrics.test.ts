import { serverTimingDurations } from "@darkroom/contracts";
import { metricSample } from "@darkroom/devstack/testing";
import { noisyPhoto } from "@darkroom/imaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptedUpload, call, postUpload, SYNC_ENDPOINT } from "./support/client";
import { startTestApi, type TestApi } from "./support/test-stack";
import { sendResumable } from "./support/tus-client";

describe("the API's metrics", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  const scrape = async () => (await fetch(`${api.url}/metrics`)).text();

  it("serves process metrics, memory and event-loop lag included, in Prometheus text format", async () => {
    const response = await fetch(`${api.url}/metrics`);

    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
  });

  it("times requests by route and mode, sizes uploads, and counts the queue by state", async () => {
    const photo = await noisyPhoto(800, 600);
    const queuedRoute = 'method="POST",route="/api/uploads",status_code="202",mode="queued"';
    const syncRoute = 'method="POST",route="/api/uploads/sync",status_code="201",mode="sync"';
    const before = await scrape();

    await acceptedUpload(await postUpload(api, photo));
    expect((await postUpload(api, photo, "photo.jpg", SYNC_ENDPOINT)).status).toBe(201);
    await call(api, `/api/uploads/${crypto.randomUUID()}`);
    const after = await scrape();

    const grew = (name: string, labels: string) =>
      metricSample(after, name, labels) - metricSample(before, name, labels);
    expect(grew("darkroom_http_request_duration_seconds_count", queuedRoute)).toBe(1);
    expect(grew("darkroom_http_request_duration_seconds_count", syncRoute)).toBe(1);
    expect(
      grew(
        "darkroom_http_request_duration_seconds_count",
        'method="GET",route="/api/uploads/:id",status_code="404",mode="none"',
      ),
    ).toBe(1);
    expect(grew("darkroom_upload_size_bytes_count", 'mode="queued"')).toBe(1);
    expect(grew("darkroom_upload_size_bytes_sum", 'mode="sync"')).toBe(photo.byteLength);
    // No worker runs here: the queued upload waits.
    expect(metricSample(after, "darkroom_queue_jobs", 'state="waiting"')).toBe(1);
  });

  it("says how long the first in line has waited, and how many workers take jobs", async () => {
    await acceptedUpload(await postUpload(api, await noisyPhoto(400, 300)));
    expect(metricSample(await scrape(), "darkroom_queue_workers")).toBe(0);

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const waiting = await scrape();
    expect(metricSample(waiting, "darkroom_queue_oldest_waiting_seconds")).toBeGreaterThanOrEqual(1.5);

    await api.startWorker();
    await expect
      .poll(async () => metricSample(await scrape(), "darkroom_queue_oldest_waiting_seconds"), {
        timeout: 30_000,
      })
      .toBe(0);
    expect(metricSample(await scrape(), "darkroom_queue_workers")).toBe(1);
  });

  it("says in Server-Timing where a queued, a sync and a resumable upload's time went", async () => {
    const photo = await noisyPhoto(800, 600);
    const stages = (response: Response) =>
      Object.keys(serverTimingDurations(response.headers.get("server-timing")));

    expect(stages(await postUpload(api, photo))).toEqual(["room", "receive", "enqueue", "total"]);
    expect(stages(await postUpload(api, photo, "photo.jpg", SYNC_ENDPOINT))).toEqual([
      "receive",
      "process",
      "total",
    ]);
    const { answer } = await sendResumable(api, photo);
    expect(answer.status).toBe(204);
    expect(stages(answer)).toEqual(["check", "enqueue", "total"]);
    expect(stages(await fetch(`${api.url}/api/healthz`))).toEqual(["total"]);
  });

  it("times resumable uploads by their tus routes, and counts the bytes they sent", async () => {
    const photo = await noisyPhoto(800, 600);
    const before = await scrape();

    const { answer } = await sendResumable(api, photo, "photo.jpg", Math.ceil(photo.byteLength / 2));
    expect(answer.status).toBe(204);
    const after = await scrape();

    const grew = (name: string, labels?: string) =>
      metricSample(after, name, labels) - metricSample(before, name, labels);
    const route = (method: string, path: string, status: number) =>
      `method="${method}",route="${path}",status_code="${status}",mode="resumable"`;
    expect(grew("darkroom_http_request_duration_seconds_count", route("POST", "/api/uploads/tus", 201))).toBe(
      1,
    );
    expect(
      grew("darkroom_http_request_duration_seconds_count", route("PATCH", "/api/uploads/tus/:id", 204)),
    ).toBe(2);
    expect(grew("darkroom_upload_size_bytes_sum", 'mode="resumable"')).toBe(photo.byteLength);
    expect(grew("darkroom_resumable_bytes_received_total")).toBe(photo.byteLength);
  });
});
