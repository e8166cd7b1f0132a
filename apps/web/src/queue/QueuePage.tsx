import type { FailedJob, QueueCounts } from "@darkroom/contracts";
import { useState } from "react";
import { Link } from "react-router";
import { api, errorDetailOf } from "../api/client";
import { usePageTitle } from "../page-title";
import { describeError } from "../uploads/describe";
import styles from "./QueuePage.module.css";
import { useQueue } from "./use-queue";

const COUNTS: { key: keyof QueueCounts; label: string }[] = [
  { key: "waiting", label: "Waiting" },
  { key: "active", label: "Active" },
  { key: "delayed", label: "Delayed" },
  { key: "completed", label: "Completed" },
  { key: "failed", label: "Failed" },
  { key: "workers", label: "Workers" },
];

const time = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** The queue at a glance, and its failed jobs to retry or discard. */
export function QueuePage() {
  usePageTitle("Queue");
  const { counts, failed, error, refresh } = useQueue();
  const [outcome, setOutcome] = useState<string>();

  async function act(job: FailedJob, action: "retry" | "discard") {
    try {
      if (action === "retry") await api.retryJob(job.id);
      else await api.discardJob(job.id);
      setOutcome(action === "retry" ? `${job.filename} is queued again.` : `${job.filename} was discarded.`);
    } catch (caught) {
      setOutcome(describeError(errorDetailOf(caught)));
    }
    await refresh();
  }

  return (
    <>
      <p className={styles.lede}>Jobs by state, live, and the failed ones with their reasons.</p>
      {error && (
        <p className={styles.error} role="alert">
          {describeError(error)}
        </p>
      )}
      <dl className={styles.counts} aria-label="Jobs by state">
        {COUNTS.map(({ key, label }) => (
          <div key={key} className={styles.count} data-testid={`count-${key}`}>
            <dt>{label}</dt>
            <dd>{counts ? counts[key] : "—"}</dd>
          </div>
        ))}
      </dl>

      <h2 className={styles.heading}>Failed jobs</h2>
      <p className={styles.outcome} role="status">
        {outcome}
      </p>
      {failed && failed.jobs.length === 0 && <p className={styles.muted}>No failed jobs.</p>}
      {failed && failed.jobs.length > 0 && (
        <ul className={styles.failed} aria-label="Failed jobs">
          {failed.jobs.map((job) => (
            <li key={job.id} className={styles.job} data-testid="failed-job">
              <p className={styles.name}>
                <Link to={`/uploads/${job.id}`}>{job.filename}</Link>
              </p>
              <p className={styles.reason}>{describeError(job.error)}</p>
              <p className={styles.meta}>
                {job.attemptsMade} {job.attemptsMade === 1 ? "try" : "tries"}, failed{" "}
                {time.format(new Date(job.failedAt))}
              </p>
              <div className={styles.actions}>
                <button type="button" onClick={() => void act(job, "retry")}>
                  Retry <span className="visually-hidden">{job.filename}</span>
                </button>
                <button type="button" className={styles.discard} onClick={() => void act(job, "discard")}>
                  Discard <span className="visually-hidden">{job.filename}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {failed && failed.total > failed.jobs.length && (
        <p className={styles.muted}>
          The newest {failed.jobs.length} of {failed.total} are shown.
        </p>
      )}
    </>
  );
}
