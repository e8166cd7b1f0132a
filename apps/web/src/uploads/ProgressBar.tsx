import type { CSSProperties } from "react";
import styles from "./ProgressBar.module.css";

interface ProgressBarProps {
  /** Shown beside the bar. */
  caption: string;
  /** Names the bar for assistive technology, which sees no caption. */
  label: string;
  /** 0 to 100, or undefined while it cannot be known. */
  value: number | undefined;
}

export function ProgressBar({ caption, label, value }: ProgressBarProps) {
  const percent = value === undefined ? undefined : Math.round(value);
  return (
    <div className={styles.row}>
      <span className={styles.caption} aria-hidden="true">
        {caption}
      </span>
      <div
        className={styles.track}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-indeterminate={percent === undefined || undefined}
        style={{ "--fraction": (percent ?? 100) / 100 } as CSSProperties}
      >
        <div className={styles.fill} />
      </div>
      <span className={styles.value} aria-hidden="true">
        {percent === undefined ? "…" : `${percent}%`}
      </span>
    </div>
  );
}
