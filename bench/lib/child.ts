import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { countLogLine } from "./quiet.js";

/** The repository, where children run so `--import tsx` and node_modules resolve. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A Node process of the benchmark's (tsx or bundled JS), with its JSON log counted by message. */
export interface Child {
  pid: number;
  /** The process itself (its IPC channel, when started with `ipc`). */
  process: ChildProcess;
  /** Log lines by `msg`, e.g. "grant reminded". */
  logged: Map<string, number>;
  /** Log lines at level error, by message. */
  errors: Map<string, number>;
  /** Lines that were not JSON, the last few. */
  tail: string[];
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how long the exit took and whether it was killed. */
  stop(graceMs?: number): Promise<Stopped>;
}

export interface Stopped {
  ms: number;
  killed: boolean;
}

/**
 * Starts `node <args>` in the repository and waits until `ready` holds (60 s at most); `ipc` opens Node's message
 * channel to it.
 */
export async function startChild(
  args: string[],
  env: Record<string, string>,
  ready: (child: Child) => Promise<boolean>,
  options: { ipc?: boolean } = {},
): Promise<Child> {
  const script = args.join(" ");
  const proc: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: options.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  const logged = new Map<string, number>();
  const errors = new Map<string, number>();
  const tail: string[] = [];
  const remember = (line: string) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
  };
  const take = (line: string) => {
    if (!countLogLine(line, logged, errors)) remember(line);
  };
  if (proc.stdout) createInterface({ input: proc.stdout }).on("line", take);
  if (proc.stderr) createInterface({ input: proc.stderr }).on("line", take);
  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  const stop = async (graceMs = 10_000): Promise<Stopped> => {
    const start = Date.now();
    if (exited()) return { ms: 0, killed: false };
    const gone = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill("SIGTERM");
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      proc.kill("SIGKILL");
    }, graceMs);
    await gone;
    clearTimeout(timer);
    return { ms: Date.now() - start, killed };
  };
  if (proc.pid === undefined) throw new Error(`${script} did not start`);
  const child: Child = { pid: proc.pid, process: proc, logged, errors, tail, exited, stop };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited()) throw new Error(`${script} exited early (${proc.exitCode}):\n${tail.join("\n")}`);
    if (await ready(child).catch(() => false)) return child;
    if (Date.now() > deadline) {
      await stop(1_000);
      throw new Error(`${script} was not ready within 60 s:\n${tail.join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether `url` answers 200 to a GET. */
export async function answers(url: string): Promise<boolean> {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.ok;
}

/** Resident memory now and its high-water mark, in bytes, from /proc/<pid>/status. */
export function readRss(pid: number): { rss: number; hwm: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/** One RSS reading, labelled with the phase it was taken in. */
export interface RssSample {
  at: number;
  phase: string;
  rss: number;
  hwm: number;
  /** A counter read at the same moment, e.g. reminders sent so far. */
  count: number;
}

/** Reads a process's RSS every `everyMs` until stopped; `phase` labels the samples taken from now on. */
export class RssSampler {
  readonly samples: RssSample[] = [];
  phase = "start";
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pid: number,
    private readonly counter: () => number = () => 0,
  ) {}

  start(everyMs = 1_000): void {
    this.take();
    this.timer = setInterval(() => this.take(), everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  take(): RssSample | undefined {
    const reading = readRss(this.pid);
    if (!reading) return undefined;
    const sample = { at: Date.now(), phase: this.phase, count: this.counter(), ...reading };
    this.samples.push(sample);
    return sample;
  }

  inPhase(...phases: string[]): RssSample[] {
    return this.samples.filter((sample) => phases.includes(sample.phase));
  }
}
