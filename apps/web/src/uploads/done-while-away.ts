import { useEffect, useRef } from "react";
import { cardStatus, type UploadItem } from "./uploads-reducer";

/** A batch of more photos than this asks, once, whether the page may tell when they are done. */
export const NOTIFY_BATCH_OVER = 3;

/** What finished since the tab was hidden, and what it still waits for. */
export interface AwayTally {
  /** Keys of the uploads still being sent, waiting or processed. */
  pending: ReadonlySet<string>;
  done: number;
  /** Of `done`, those refused or failed. */
  failed: number;
}

const isUnfinished = (item: UploadItem) => {
  const status = cardStatus(item);
  return status === "uploading" || status === "queued" || status === "active";
};

/** The tally as the tab is hidden: everything unfinished is awaited. */
export function startTally(items: readonly UploadItem[]): AwayTally {
  return { pending: new Set(items.filter(isUnfinished).map((item) => item.key)), done: 0, failed: 0 };
}

/**
 * Counts the awaited uploads that have finished, and awaits those started
 * meanwhile (a retry). An upload gone from the page (deleted) is no longer
 * awaited, and not counted. The same tally back when nothing changed.
 */
export function tallyWhileAway(tally: AwayTally, items: readonly UploadItem[]): AwayTally {
  const byKey = new Map(items.map((item) => [item.key, item]));
  const pending = new Set<string>();
  let { done, failed } = tally;
  for (const key of tally.pending) {
    const item = byKey.get(key);
    if (item && isUnfinished(item)) pending.add(key);
    else if (item) {
      done += 1;
      const status = cardStatus(item);
      if (status === "failed" || status === "rejected") failed += 1;
    }
  }
  for (const item of items) if (isUnfinished(item)) pending.add(item.key);
  const same = done === tally.done && pending.size === tally.pending.size;
  return same ? tally : { pending, done, failed };
}

/** The tab's title while hidden: how many are done, before the page's own title. */
export const titleWhileAway = (done: number, title: string) => (done > 0 ? `(${done} done) ${title}` : title);

/**
 * Asks for permission to notify when the user starts a batch of more than a
 * few photos: a moment the wait is worth telling about, and a user's gesture,
 * which browsers require for the prompt. Asked once: a choice made stands.
 */
export function askToNotifyForBatch(count: number): void {
  if (count <= NOTIFY_BATCH_OVER || !("Notification" in window)) return;
  if (Notification.permission !== "default") return;
  Notification.requestPermission().catch(() => undefined);
}

function notifyDone({ done, failed }: AwayTally): void {
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  const title = done === 1 ? "Your photo is done" : `${done} photos done`;
  const body =
    failed === 0
      ? "Darkroom has finished your uploads."
      : `${done - failed} ready, ${failed} could not be processed.`;
  try {
    // One notification for the batch: a tag replaces, rather than piles up, an earlier one.
    const notification = new Notification(title, { body, tag: "darkroom-uploads" });
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
  } catch {
    // Chrome on Android has no Notification constructor (only a service worker's): the title still tells.
  }
}

/**
 * While the tab is hidden, its title counts the uploads that finish, and once
 * all it was waiting for have finished one system notification says so (if
 * the user allowed it). Back in view, the title is the page's own again.
 */
export function useDoneWhileAway(items: readonly UploadItem[]): void {
  const latest = useRef(items);
  const away = useRef<{ tally: AwayTally; title: string } | null>(null);

  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState === "hidden") {
        away.current ??= { tally: startTally(latest.current), title: document.title };
      } else if (away.current) {
        document.title = away.current.title;
        away.current = null;
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      if (away.current) document.title = away.current.title;
      away.current = null;
    };
  }, []);

  useEffect(() => {
    latest.current = items;
    const current = away.current;
    if (!current) return;
    const tally = tallyWhileAway(current.tally, items);
    if (tally === current.tally) return;
    away.current = { ...current, tally };
    document.title = titleWhileAway(tally.done, current.title);
    if (current.tally.pending.size > 0 && tally.pending.size === 0 && tally.done > 0) notifyDone(tally);
  }, [items]);
}
