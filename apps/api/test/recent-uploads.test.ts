import { randomUUID } from "node:crypto";
import { isolatedEnv } from "@darkroom/devstack/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recentUploads, type ListingPosition, type RecentUploads } from "../src/uploads/recent-uploads";

describe("an owner's listing, in Redis", () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(isolatedEnv().REDIS_URL!);
  });
  afterAll(() => redis?.disconnect());

  /** A listing whose clock reads each of `times` in turn, in a key space of its own. */
  const listingAt = (times: number[], keep?: number) =>
    recentUploads(redis, `test-${randomUUID()}`, { keep, now: () => times.shift() ?? 0 });

  async function everyPage(recent: RecentUploads, size: number): Promise<string[][]> {
    const pages: string[][] = [];
    let after: ListingPosition | undefined;
    for (;;) {
      const { entries, more } = await recent.page("owner", size, after);
      pages.push(entries.map((entry) => entry.id));
      after = entries.at(-1);
      if (!more) return pages;
    }
  }

  it("pages through uploads listed in the same millisecond each once, a page ending among them", async () => {
    const times = [1000, 2000, 2000, 2000, 2000, 2000, 3000];
    const recent = listingAt([...times]);
    const ids = times.map(() => randomUUID());
    for (const id of ids) await recent.add("owner", id);

    const pages = await everyPage(recent, 3);

    const sameTime = ids.slice(1, 6).sort().reverse();
    expect(pages).toEqual([[ids[6], ...sameTime.slice(0, 2)], sameTime.slice(2, 5), [ids[0]]]);
  });

  it("keeps an upload's place when it is listed again", async () => {
    const recent = listingAt([1000, 2000, 3000]);
    const [first, second] = [randomUUID(), randomUUID()];
    await recent.add("owner", first);
    await recent.add("owner", second);

    await recent.add("owner", first);

    expect(await everyPage(recent, 10)).toEqual([[second, first]]);
  });

  it("holds the newest `keep` uploads, dropping the oldest", async () => {
    const recent = listingAt([1000, 2000, 3000], 2);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) await recent.add("owner", id);

    expect(await everyPage(recent, 10)).toEqual([[ids[2], ids[1]]]);
  });
});
