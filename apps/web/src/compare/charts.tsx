import styles from "./ComparePage.module.css";
import type { ModeLive } from "./use-bench";

const WIDTH = 480;
const HEIGHT = 180;
const PAD = { left: 52, right: 8, top: 8, bottom: 22 };

const x = (fraction: number) => PAD.left + fraction * (WIDTH - PAD.left - PAD.right);
const y = (fraction: number) => HEIGHT - PAD.bottom - fraction * (HEIGHT - PAD.top - PAD.bottom);
const formatMs = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

/** One dot per request: when it was sent (by order) against how long its answer took, on a log scale. */
export function LatencyChart({ live, count, label }: { live: ModeLive; count: number; label: string }) {
  const maxMs = Math.max(100, ...live.responses.map((r) => r.ms));
  const logMax = Math.log10(maxMs + 1);
  const ty = (ms: number) => y(Math.log10(ms + 1) / logMax);
  const ticks = [10, 100, 1_000, 10_000, 100_000].filter((tick) => tick <= maxMs);
  return (
    <svg className={styles.chart} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
      {ticks.map((tick) => (
        <g key={tick} className={styles.grid}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={ty(tick)} y2={ty(tick)} />
          <text x={PAD.left - 6} y={ty(tick) + 4} textAnchor="end">
            {formatMs(tick)}
          </text>
        </g>
      ))}
      <text className={styles.axis} x={x(0.5)} y={HEIGHT - 4} textAnchor="middle">
        requests, in the order sent
      </text>
      {live.responses.map((r) => (
        <circle
          key={r.index}
          className={r.ok ? styles.dot : styles.failedDot}
          cx={x(count > 1 ? r.index / (count - 1) : 0.5)}
          cy={ty(r.ms)}
          r={2.5}
        />
      ))}
    </svg>
  );
}

/** Accepted jobs not yet finished, over the mode's run. */
export function DepthChart({ live }: { live: ModeLive }) {
  const points = live.depth;
  const maxAt = Math.max(1, ...points.map((p) => p.at));
  const maxDepth = Math.max(1, ...points.map((p) => p.inFlight));
  const path = points
    .map((p) => `${x(p.at / maxAt).toFixed(1)},${y(p.inFlight / maxDepth).toFixed(1)}`)
    .join(" ");
  return (
    <svg
      className={styles.chart}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label="Queue depth over time"
    >
      <g className={styles.grid}>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(1)} y2={y(1)} />
        <text x={PAD.left - 6} y={y(1) + 4} textAnchor="end">
          {maxDepth}
        </text>
        <text x={PAD.left - 6} y={y(0) + 4} textAnchor="end">
          0
        </text>
      </g>
      <text className={styles.axis} x={x(0.5)} y={HEIGHT - 4} textAnchor="middle">
        jobs waiting or running, over {(maxAt / 1000).toFixed(1)} s
      </text>
      <polyline className={styles.line} points={path} />
    </svg>
  );
}
