import { describe, expect, it } from "vitest";
import { syncAdmission } from "../../src/uploads/sync-admission";

/** A promise and the function that settles it: work a test holds open. */
function held() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { done, release };
}

describe("admission of sync uploads", () => {
  it("refuses at once with SYNC_SATURATED beyond maxInFlight, and admits again once one ends", async () => {
    const admission = syncAdmission({ maxInFlight: 2, concurrency: 1 });
    const first = held();
    const running = [admission.admit(() => first.done), admission.admit(() => new Promise(() => undefined))];

    await expect(admission.admit(() => Promise.resolve("third"))).rejects.toMatchObject({
      code: "SYNC_SATURATED",
      status: 503,
    });
    first.release();
    await running[0];
    expect(await admission.admit(() => Promise.resolve("fourth"))).toBe("fourth");
  });

  it("frees the place of a request that failed", async () => {
    const admission = syncAdmission({ maxInFlight: 1, concurrency: 1 });

    await expect(admission.admit(() => Promise.reject(new Error("bad photo")))).rejects.toThrow("bad photo");

    expect(await admission.admit(() => Promise.resolve("next"))).toBe("next");
  });

  it("processes no more than `concurrency` at once, while more are admitted", async () => {
    const admission = syncAdmission({ maxInFlight: 10, concurrency: 2 });
    let processing = 0;
    let most = 0;
    const photos = Array.from({ length: 6 }, () =>
      admission.admit((process) =>
        process(async () => {
          most = Math.max(most, ++processing);
          await new Promise((resolve) => setTimeout(resolve, 5));
          processing--;
        }),
      ),
    );

    await Promise.all(photos);

    expect(most).toBe(2);
  });
});
