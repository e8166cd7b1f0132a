import { encoderTables } from "./encoder-report";
import { rateLimitNote, ratioRows, reportModes, verdictRows, type BenchReport } from "@darkroom/contracts";

/** Each mode's colour, in the chart here and on the compare page. */
const COLOURS = { sync: "#c2410c", queued: "#2563eb", direct: "#15803d", resumable: "#7c3aed" } as const;

function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ");
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

function markdownTable(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

export function renderText(report: BenchReport): string {
  return [
    workloadLine(report),
    "",
    textTable(["", ...reportModes(report)], verdictRows(report)),
    "",
    textTable(["ratio", "value", "baseline"], ratioRows(report)),
    ...noteLines(report),
    ...encoderLines(report, textTable),
  ].join("\n");
}

/** The raw imaging baseline's comparison of encoder settings, each table under its title. */
function encoderLines(report: BenchReport, table: typeof textTable): string[] {
  const comparison = report.baselines.encoders;
  if (!comparison) return [];
  return encoderTables(comparison).flatMap(({ title, header, rows }) => [
    "",
    `${title}:`,
    "",
    table(header, rows),
  ]);
}

function noteLines(report: BenchReport): string[] {
  const note = rateLimitNote(report);
  return note ? ["", note] : [];
}

function workloadLine({ preset, workload, machine }: BenchReport): string {
  return (
    `preset ${preset}: ${workload.count} uploads per mode, ${workload.concurrency} at once, ` +
    `${workload.width}×${workload.height} ${(workload.photoFormat ?? "jpeg").toUpperCase()} (~${(workload.photoBytes / 1024 / 1024).toFixed(1)} MB), ` +
    `client timeout ${workload.timeoutMs / 1000} s, ${workload.workers} worker process(es) running ` +
    `${workload.workerParallelism} jobs at once; ${machine.cpus} CPUs, Node ${machine.node}`
  );
}

export function renderMarkdown(report: BenchReport, chartFile: string): string {
  return [
    `# Benchmark: ${reportModes(report).join(", ")}`,
    "",
    `Measured ${report.finishedAt.slice(0, 16).replace("T", " ")} UTC. ${workloadLine(report)}.`,
    "",
    markdownTable(["", ...reportModes(report)], verdictRows(report)),
    "",
    markdownTable(["ratio", "value", "baseline"], ratioRows(report)),
    ...noteLines(report),
    "",
    `![Time to HTTP response, every request of each mode](${chartFile})`,
    ...encoderLines(report, markdownTable),
    "",
  ].join("\n");
}

/** Each mode's response times, sorted: the share of requests answered within each time. */
export function latencyChartSvg(report: BenchReport): string {
  const width = 720;
  const height = 360;
  const pad = { left: 70, right: 20, top: 30, bottom: 50 };
  const series = reportModes(report).map((mode) => ({
    mode,
    sorted: [...report.modes[mode]!.responseTimesMs].sort((a, b) => a - b),
    colour: COLOURS[mode],
  }));
  const maxMs = Math.max(1, ...series.flatMap((s) => s.sorted));
  // A log scale keeps every mode readable when one is a hundred times slower.
  const logMax = Math.log10(maxMs + 1);
  const x = (value: number) => pad.left + (Math.log10(value + 1) / logMax) * (width - pad.left - pad.right);
  const y = (share: number) => height - pad.bottom - share * (height - pad.top - pad.bottom);
  const ticks = [1, 10, 100, 1_000, 10_000, 100_000].filter((tick) => tick <= maxMs * 1.5);

  const lines = series.map(({ mode, sorted, colour }) => {
    const points = sorted.map(
      (value, index) => `${x(value).toFixed(1)},${y((index + 1) / sorted.length).toFixed(1)}`,
    );
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(" ")}"><title>${mode}</title></polyline>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${pad.left}" y="18" font-size="14">Share of requests answered within a time (log scale)</text>
${ticks.map((tick) => `<line x1="${x(tick)}" x2="${x(tick)}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#e5e7eb"/><text x="${x(tick)}" y="${height - pad.bottom + 16}" text-anchor="middle">${tick >= 1000 ? `${tick / 1000} s` : `${tick} ms`}</text>`).join("\n")}
${[0, 0.5, 0.95, 1].map((share) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(share)}" y2="${y(share)}" stroke="#e5e7eb"/><text x="${pad.left - 8}" y="${y(share) + 4}" text-anchor="end">${share * 100}%</text>`).join("\n")}
${lines.join("\n")}
${series.map(({ mode, colour }, index) => `<rect x="${pad.left + 10}" y="${pad.top + 8 + index * 20}" width="12" height="12" fill="${colour}"/><text x="${pad.left + 28}" y="${pad.top + 18 + index * 20}">${mode}</text>`).join("\n")}
</svg>
`;
}
