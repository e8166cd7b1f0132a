import type { FailedJobList, QueueCounts } from "@darkroom/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorDetailOf, type ApiErrorDetail } from "../api/client";

/** How often the counts and the failed jobs are read again while the page is shown. */
const REFRESH_MS = 2_000;

export interface QueueView {
  counts: QueueCounts | undefined;
  failed: FailedJobList | undefined;
  /** Why the last read failed, until one succeeds. */
  error: ApiErrorDetail | undefined;
  /** Reads both again now, as after a retry or a discard. */
  refresh: () => Promise<void>;
}

/** The queue's counts and its failed jobs, kept current. */
export function useQueue(): QueueView {
  const [counts, setCounts] = useState<QueueCounts>();
  const [failed, setFailed] = useState<FailedJobList>();
  const [error, setError] = useState<ApiErrorDetail>();

  // Reads overlap (a tick, the one after a retry): only the latest started may show.
  const latest = useRef(0);
  const refresh = useCallback(() => {
    const read = ++latest.current;
    const isLatest = () => read === latest.current;
    return Promise.all([api.queueCounts(), api.failedJobs()]).then(
      ([nextCounts, nextFailed]) => {
        if (!isLatest()) return;
        setCounts(nextCounts);
        setFailed(nextFailed);
        setError(undefined);
      },
      (caught: unknown) => {
        if (isLatest()) setError(errorDetailOf(caught));
      },
    );
  }, []);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  return { counts, failed, error, refresh };
}
