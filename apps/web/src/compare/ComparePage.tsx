import {
  BENCH_PRESETS,
  benchPresetSchema,
  distribution,
  rateLimitNote,
  benchModeSchema,
  ratioRows,
  reportModes,
  verdictRows,
  type BenchMode,
  type BenchPreset,
  type BenchRun,
  type Workload,
} from "@darkroom/contracts";
import { useState, type FormEvent } from "react";
import { DepthChart, LatencyChart } from "./charts";
import styles from "./ComparePage.module.css";
import { useBench, type ModeLive } from "./use-bench";
import { usePageTitle } from "../page-title";

const ONLY_IN_DEVELOPMENT = (
  <>
    Benchmark runs are available only in development: <code>pnpm dev</code> starts the benchmark runner beside
    the API, and a deployment has none.
  </>
);

const MODE_TITLES: Record<BenchMode, string> = {
  sync: "Sync: resized before the answer",
  queued: "Queued: answered, then resized",
  direct: "Direct: sent to storage, then resized",
  resumable: "Resumable: sent in parts through the API, then resized",
};

export function ComparePage() {
  usePageTitle("Compare");
  const { state, start, show } = useBench();
  const [preset, setPreset] = useState<BenchPreset>("smoke");
  const [workload, setWorkload] = useState<Workload>({ ...BENCH_PRESETS.smoke });
  const running = state.shown?.status === "running";
  const count = state.shown?.workload.count ?? workload.count;

  const choosePreset = (name: BenchPreset) => {
    setPreset(name);
    setWorkload({ ...BENCH_PRESETS[name] });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { count, concurrency, width, height } = workload;
    void start({ preset, count, concurrency, width, height });
  };
  const field = (name: "count" | "concurrency" | "width" | "height", label: string) => (
    <label className={styles.field}>
      {label}
      <input
        type="number"
        min={1}
        value={workload[name]}
        onChange={(event) => setWorkload({ ...workload, [name]: Number(event.target.value) })}
      />
    </label>
  );

  return (
    <>
      <p className={styles.lede}>
        The same photos, sent the same way, in each mode in turn. A browser opens only a few connections, so
        the benchmark runner, a development tool, makes the load in a process of its own and streams every
        answer here.
      </p>
      <form className={styles.form} onSubmit={submit}>
        <label className={styles.field}>
          Preset
          <select
            value={preset}
            onChange={(event) => choosePreset(benchPresetSchema.parse(event.target.value))}
          >
            {benchPresetSchema.options.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        {field("count", "Uploads")}
        {field("concurrency", "At once")}
        {field("width", "Width px")}
        {field("height", "Height px")}
        <button type="submit" disabled={running || state.available !== true}>
          {running ? "Running…" : "Start run"}
        </button>
      </form>
      <p className={styles.status} aria-live="polite">
        {state.error ??
          (state.available === false ? ONLY_IN_DEVELOPMENT : state.phase && `Run: ${state.phase}`)}
      </p>

      <div className={styles.modes}>
        {benchModeSchema.options.map((mode) => (
          <section key={mode} className={styles.mode} aria-labelledby={`${mode}-title`}>
            <h2 id={`${mode}-title`}>{MODE_TITLES[mode]}</h2>
            <LatencyChart
              live={state.live[mode]}
              count={count}
              label={`${mode} time to response, per request`}
            />
            <LiveStats live={state.live[mode]} />
            {mode !== "sync" && <DepthChart live={state.live[mode]} />}
          </section>
        ))}
      </div>

      {state.shown?.report && <Verdict run={state.shown} />}

      {state.runs.length > 0 && (
        <section className={styles.past} aria-labelledby="past-title">
          <h2 id="past-title">Past runs</h2>
          <ul>
            {state.runs.map((run) => (
              <li key={run.id}>
                <button type="button" onClick={() => show(run)} aria-pressed={run.id === state.shown?.id}>
                  {new Date(run.startedAt).toLocaleString()} · {run.preset} · {run.workload.count} uploads ·{" "}
                  {run.status}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function LiveStats({ live }: { live: ModeLive }) {
  const response = distribution(live.responses.map((r) => r.ms));
  const failures = live.responses.filter((r) => !r.ok);
  const byKind = Object.entries(
    failures.reduce<Record<string, number>>(
      (counts, r) => ({ ...counts, [r.kind]: (counts[r.kind] ?? 0) + 1 }),
      {},
    ),
  );
  const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value).toLocaleString()} ms` : "–");
  return (
    <dl className={styles.stats}>
      <dt>Answered</dt>
      <dd>{live.responses.length}</dd>
      <dt>p50 / p95 / p99</dt>
      <dd>
        {ms(response.p50)} / {ms(response.p95)} / {ms(response.p99)}
      </dd>
      <dt>Results</dt>
      <dd>{live.results.length}</dd>
      <dt>Failures</dt>
      <dd>{failures.length === 0 ? "0" : byKind.map(([kind, n]) => `${n}× ${kind}`).join(", ")}</dd>
    </dl>
  );
}

function Verdict({ run }: { run: BenchRun }) {
  const report = run.report!;
  const note = rateLimitNote(report);
  return (
    <section className={styles.verdict} aria-labelledby="verdict-title">
      <h2 id="verdict-title">
        Verdict · {run.preset}, {report.workload.count} uploads, {report.workload.concurrency} at once
      </h2>
      <table aria-label="Verdict">
        <thead>
          <tr>
            <th scope="col" />
            {reportModes(report).map((mode) => (
              <th key={mode} scope="col">
                {mode}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {verdictRows(report).map(([label, ...cells]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {cells.map((cell, column) => (
                <td key={column}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {note && <p className={styles.note}>{note}</p>}
      <table aria-label="Ratios">
        <tbody>
          {ratioRows(report).map(([label, value, baseline]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{value}</td>
              <td>{baseline}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
