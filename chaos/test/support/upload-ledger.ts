import { writeFile, mkdir } from "node:fs/promises";
import {
  acceptedUploadSchema,
  errorBodySchema,
  uploadSnapshotSchema,
  type UploadSnapshot,
} from "@darkroom/contracts";
import type { PhotoQueue } from "@darkroom/queue";
import type { QueueInspector } from "@darkroom/queue/testing";
import { readManifest, type ObjectStorage } from "@darkroom/storage";

/** Where each accepted upload ended. `lost` is any that did not end at all. */
export interface Settled {
  accepted: number;
  completed: number;
  /** Failed uploads by error code: each must have one. */
  failed: Record<string, number>;
  lost: string[];
  /** Uploads that were answered with an error instead, by code. */
  refused: Record<string, number>;
  /** Accepted uploads whose job needed more than one attempt, and those taken back from a dead worker. */
  retried: number;
  stalled: number;
  /** Jobs BullMQ reported completed more than once: must be none. */
  completedTwice: string[];
}

const tally = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

/**
 * The client's side of a chaos test: sends uploads, remembers which were
 * accepted, and afterwards follows each to its end.
 */
export class UploadLedger {
  readonly accepted: string[] = [];
  readonly refused: Record<string, number> = {};
  private readonly auth: { authorization: string };

  /** @param token the uploads' owner's API token */
  constructor(token: string) {
    this.auth = { authorization: `Bearer ${token}` };
  }

  /** Sends one upload; its answer is recorded, whatever it is. */
  async upload(apiUrl: string, photo: Buffer, filename = "chaos.jpg"): Promise<void> {
    const form = new FormData();
    form.append("file", new Blob([photo], { type: "image/jpeg" }), filename);
    let response: Response;
    try {
      response = await fetch(`${apiUrl}/api/uploads`, { method: "POST", body: form, headers: this.auth });
    } catch (error) {
      tally(this.refused, `NO_ANSWER ${String((error as Error).cause)}`);
      return;
    }
    const body: unknown = await response.json();
    if (response.status === 202) {
      this.accepted.push(acceptedUploadSchema.parse(body).id);
      return;
    }
    const error = errorBodySchema.safeParse(body);
    tally(this.refused, `${response.status} ${error.success ? error.data.error.code : "?"}`);
  }

  /** Sends `count` uploads, `atOnce` at a time, spread over `apiUrls`. */
  async uploadMany(apiUrls: string[], photo: Buffer, count: number, atOnce = 4): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: atOnce }, async () => {
        for (let i = next++; i < count; i = next++) await this.upload(apiUrls[i % apiUrls.length]!, photo);
      }),
    );
  }

  /**
   * Polls every accepted upload until it has completed or failed, then checks
   * each completed one against S3: six variants, each stored at the size its
   * manifest records. Uploads still unfinished at `timeoutMs` are lost.
   */
  async settle(
    apiUrl: string,
    { queue, inspector, storage }: { queue: PhotoQueue; inspector: QueueInspector; storage: ObjectStorage },
    timeoutMs = 90_000,
  ): Promise<Settled> {
    const finished = new Map<string, UploadSnapshot>();
    const deadline = Date.now() + timeoutMs;
    while (finished.size < this.accepted.length && Date.now() < deadline) {
      for (const id of this.accepted.filter((id) => !finished.has(id))) {
        const snapshot = await this.snapshotOf(apiUrl, id);
        if (snapshot?.status === "completed" || snapshot?.status === "failed") finished.set(id, snapshot);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const settled: Settled = {
      accepted: this.accepted.length,
      completed: 0,
      failed: {},
      lost: this.accepted.filter((id) => !finished.has(id)),
      refused: this.refused,
      retried: 0,
      stalled: 0,
      completedTwice: await inspector.completedMoreThanOnce(),
    };
    for (const [id, snapshot] of finished) {
      if (snapshot.status === "failed") tally(settled.failed, snapshot.error?.code ?? "NO REASON");
      else {
        await assertStoredAsRecorded(storage, id);
        settled.completed++;
      }
      const job = await queue.find(id);
      if ((job?.attemptsMade ?? 0) > 1) settled.retried++;
      if ((job?.stalls ?? 0) > 0) settled.stalled++;
    }
    return settled;
  }

  private async snapshotOf(apiUrl: string, id: string): Promise<UploadSnapshot | undefined> {
    const response = await fetch(`${apiUrl}/api/uploads/${id}`, { headers: this.auth }).catch(
      () => undefined,
    );
    return response?.ok ? uploadSnapshotSchema.parse(await response.json()) : undefined;
  }
}

async function assertStoredAsRecorded(storage: ObjectStorage, id: string): Promise<void> {
  const manifest = await readManifest(storage, id);
  if (manifest?.variants.length !== 6) throw new Error(`Upload ${id} completed without its 6 variants`);
  for (const variant of manifest.variants) {
    const stored = await storage.head(variant.key);
    if (stored?.bytes !== variant.bytes)
      throw new Error(`${variant.key} holds ${stored?.bytes} bytes, its manifest says ${variant.bytes}`);
  }
}

/** Prints a fault's numbers, and keeps them in test-results/ for the record. */
export async function report(fault: string, settled: Settled): Promise<void> {
  const line =
    `${fault}: accepted ${settled.accepted}, completed ${settled.completed}, ` +
    `failed ${JSON.stringify(settled.failed)}, lost ${settled.lost.length}; ` +
    `refused ${JSON.stringify(settled.refused)}, retried ${settled.retried}, stalled ${settled.stalled}, ` +
    `completed twice ${settled.completedTwice.length}`;
  console.log(`chaos | ${line}`);
  await mkdir("test-results", { recursive: true });
  await writeFile(`test-results/chaos-${fault.replaceAll(/\W+/g, "-")}.json`, JSON.stringify(settled));
}
