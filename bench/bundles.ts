import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";
import { esbuildOptions, LAMBDA_ENTRIES, type LambdaEntries } from "../infra/bundling.js";

/** Targets from the deploy issue: small enough to upload fast, quick enough to import on a cold start. */
const MAX_BYTES = 1.5 * 1024 * 1024;
const MAX_IMPORT_MS = 300;
/** Fresh node processes per bundle; the median and the worst are reported. */
const RUNS = 5;
const MB = 1024 * 1024;

interface Row {
  name: keyof LambdaEntries;
  bytes: number;
  medianMs: number;
  maxMs: number;
  packages: Array<[string, number]>;
}

/** Bytes each package (or the project's own source) adds to the bundle, largest first. */
function byPackage(metafile: Metafile): Array<[string, number]> {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
      const name = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? "(this project)";
      sizes.set(name, (sizes.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...sizes.entries()].sort((a, b) => b[1] - a[1]);
}

/** Imports the bundle in a new node process, as a Lambda cold start does, and returns the milliseconds taken. */
function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const run = spawnSync(process.execPath, ["--enable-source-maps", "--input-type=module", "-e", script], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
  return Number(run.stdout);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function measure(name: keyof LambdaEntries, dir: string): Promise<Row> {
  const outfile = join(dir, name, "index.mjs");
  const result = await build({
    ...esbuildOptions(LAMBDA_ENTRIES[name], outfile),
    metafile: true,
    logLevel: "error",
  });
  const times = Array.from({ length: RUNS }, () => coldImportMs(outfile));
  return {
    name,
    bytes: statSync(outfile).size,
    medianMs: median(times),
    maxMs: Math.max(...times),
    packages: byPackage(result.metafile),
  };
}

function mark(ok: boolean): string {
  return ok ? "ok" : "OVER";
}

function print(rows: Row[]): void {
  const header = [
    "bundle",
    "bytes",
    "MB",
    `size < ${MAX_BYTES / MB} MB`,
    "import median ms",
    "import max ms",
    `import < ${MAX_IMPORT_MS} ms`,
  ];
  const lines = rows.map((row) => [
    row.name,
    String(row.bytes),
    (row.bytes / MB).toFixed(2),
    mark(row.bytes < MAX_BYTES),
    row.medianMs.toFixed(0),
    row.maxMs.toFixed(0),
    mark(row.maxMs < MAX_IMPORT_MS),
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...lines.map((line) => line[i]?.length ?? 0)));
  const format = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log(format(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const line of lines) console.log(format(line));
  console.log(
    `\n${RUNS} cold imports each, node ${process.version}, --enable-source-maps as on Lambda; MB = 2^20 bytes; load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(" ")}.`,
  );
  for (const row of rows) {
    const top = row.packages.slice(0, 10).map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)}K`);
    console.log(`${row.name}: ${top.join(", ")}`);
  }
}

const dir = mkdtempSync(join(tmpdir(), "aws-access-bundles-"));
try {
  const rows: Row[] = [];
  for (const name of ["slack", "worker", "revoker"] as const) rows.push(await measure(name, dir));
  print(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
