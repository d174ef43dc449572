/** Percentile summary of a sample, in the sample's unit. */
export interface Summary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile (p in 0..100) of an ascending sample. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1] ?? Number.NaN;
}

export function summarize(sample: readonly number[]): Summary {
  const sorted = [...sample].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
  };
}

/** One line of the final table; `pass` is undefined for figures printed for context only. */
export interface Row {
  metric: string;
  value: string;
  target: string;
  pass?: boolean;
}

export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A row judged against an upper bound, e.g. below("ack p99", 12.3, 100, "ms"). */
export function below(metric: string, value: number, limit: number, unit: "ms" | "MB" | "x"): Row {
  const shown = unit === "ms" ? ms(value) : unit === "x" ? `${value.toFixed(2)}x` : `${value.toFixed(1)} MB`;
  const target = unit === "x" ? `<=${limit}x` : `<${limit} ${unit}`;
  const pass = unit === "x" ? value <= limit : value < limit;
  return { metric, value: shown, target, pass };
}

/** A row printed for context, with no target. */
export function info(metric: string, value: string): Row {
  return { metric, value, target: "-" };
}

/** The percentiles of a latency sample as context rows. */
export function latencyRows(label: string, summary: Summary): Row[] {
  return [
    info(`${label} p50`, ms(summary.p50)),
    info(`${label} p90`, ms(summary.p90)),
    info(`${label} p99`, ms(summary.p99)),
    info(`${label} max`, ms(summary.max)),
  ];
}

/** The final table: metric, value, target and PASS/MISS (or "info"). */
export function formatTable(rows: readonly Row[]): string {
  const width = Math.max(40, ...rows.map((row) => row.metric.length + 1));
  const valueWidth = Math.max(10, ...rows.map((row) => row.value.length + 1));
  const targetWidth = Math.max(10, ...rows.map((row) => row.target.length + 1));
  const line = (a: string, b: string, c: string, d: string) =>
    `${a.padEnd(width)} ${b.padEnd(valueWidth)} ${c.padEnd(targetWidth)} ${d}`;
  const result = (row: Row) => (row.pass === undefined ? "info" : row.pass ? "PASS" : "MISS");
  return [
    line("metric", "value", "target", "result"),
    ...rows.map((row) => line(row.metric, row.value, row.target, result(row))),
  ].join("\n");
}

/** Prints a progress line to stderr, so stdout keeps only results. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
