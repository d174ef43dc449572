import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ROOT } from "./child.js";

/** What one fresh Node process did with a list of Function URL events handed to the bundled handler. */
export interface ChildRun {
  /** From spawning the process to the first answer: a cold start (process, import, build, first request). */
  coldMs: number;
  /** Importing the bundle, inside the process. */
  importMs: number;
  /** Each event's handler call, inside the process; the first one includes the build. */
  handlerMs: number[];
  statuses: number[];
  /** Log lines the function wrote at level error. */
  errors: string[];
}

/** Imports the bundle, then hands it the events one after the other, printing each answer's time. */
const SCRIPT = `
const { readFileSync } = await import("node:fs");
const { pathToFileURL } = await import("node:url");
const events = JSON.parse(readFileSync(process.env.BENCH_EVENTS, "utf8"));
const started = performance.now();
const { handler } = await import(pathToFileURL(process.env.BENCH_BUNDLE).href);
const importMs = performance.now() - started;
for (const event of events) {
  const t = performance.now();
  const answer = await handler(event, {});
  process.stdout.write("@bench " + JSON.stringify({ ms: performance.now() - t, status: answer.statusCode, importMs }) + "\\n");
}
process.exit(0);
`;

/** Adds the message of a log line at level error to `errors`; other lines are not the function's errors. */
function errorOf(line: string, errors: string[]): void {
  if (!line.startsWith("{")) return;
  try {
    const entry = JSON.parse(line) as { level?: string; msg?: string; message?: string };
    if (String(entry.level).toLowerCase() === "error") errors.push(entry.message ?? entry.msg ?? line);
  } catch {
    // Not a log line of the function's.
  }
}

/** Runs `events` through the bundle at `bundle` in a new Node process with this process's environment. */
export async function runInChild(
  bundle: string,
  events: unknown[],
  dir: string,
  tag: string,
): Promise<ChildRun> {
  const file = join(dir, `${tag}.json`);
  writeFileSync(file, JSON.stringify(events));
  const started = performance.now();
  const proc = spawn(process.execPath, ["--input-type=module", "-e", SCRIPT], {
    cwd: ROOT,
    env: { ...process.env, BENCH_BUNDLE: bundle, BENCH_EVENTS: file },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const run: ChildRun = { coldMs: Number.NaN, importMs: Number.NaN, handlerMs: [], statuses: [], errors: [] };
  const stderr: string[] = [];
  // The function's logger writes errors to stderr, as on Lambda.
  createInterface({ input: proc.stderr }).on("line", (line) => {
    stderr.push(line);
    errorOf(line, run.errors);
  });
  createInterface({ input: proc.stdout }).on("line", (line) => {
    if (line.startsWith("@bench ")) {
      const answer = JSON.parse(line.slice(7)) as { ms: number; status: number; importMs: number };
      if (run.handlerMs.length === 0) run.coldMs = performance.now() - started;
      run.importMs = answer.importMs;
      run.handlerMs.push(answer.ms);
      run.statuses.push(answer.status);
      return;
    }
    errorOf(line, run.errors);
  });
  const code = await new Promise<number | null>((resolve) => proc.once("exit", resolve));
  if (code !== 0 || run.handlerMs.length !== events.length) {
    throw new Error(`the bundled handler's process ended with ${code}:\n${stderr.slice(-20).join("\n")}`);
  }
  return run;
}
