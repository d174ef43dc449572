import { type Child, startChild } from "./child.js";
import type { InvocationRecord } from "./lambda-service.js";
import { addCounts } from "./quiet.js";

/** The line lambda-runtime.ts logs once it takes invocations. */
export const LAMBDA_READY = "simulated lambda ready";

/** What the parent sends a function's runtime: an asynchronous invocation, or stop. */
export type RuntimeMessage = { type: "invoke"; fn: string; event: unknown } | { type: "stop" };

/** What a runtime answers to stop: what ran, and what was dropped from its queue. */
export interface RuntimeStopped {
  type: "stopped";
  dropped: number;
  records: InvocationRecord[];
  throttled: Array<[string, number]>;
  overran: Array<[string, number]>;
}

/**
 * The simulated Lambda (lambda-service.ts) with each function in a process of its own, running the real handlers
 * with this process's environment; what invokes them (Scheduler, the sweep rule, Lambda's Invoke API) stays here.
 */
export class LambdaProcess {
  records: InvocationRecord[] = [];
  /** Throttled attempts, and invocations that ran past the function's timeout, by function. */
  readonly throttled = new Map<string, number>();
  readonly overran = new Map<string, number>();
  /** The functions' log lines by message, and their error lines. */
  readonly logged = new Map<string, number>();
  readonly errors = new Map<string, number>();
  private stopping: Promise<number> | undefined;

  private constructor(private readonly children: Map<string, Child>) {}

  static async start(functions: readonly string[]): Promise<LambdaProcess> {
    const children = new Map<string, Child>();
    try {
      for (const fn of functions) {
        const child = await startChild(
          ["--import", "tsx", "bench/lib/lambda-runtime.ts"],
          { BENCH_LAMBDA_FUNCTION: fn },
          async (started) => started.logged.has(LAMBDA_READY),
          { ipc: true },
        );
        child.logged.delete(LAMBDA_READY);
        children.set(fn, child);
      }
    } catch (error) {
      for (const child of children.values()) await child.stop(1_000);
      throw error;
    }
    return new LambdaProcess(children);
  }

  /** An asynchronous Invoke (InvocationType Event) of `fn`. */
  invokeAsync(fn: string, event: unknown): void {
    const child = this.children.get(fn);
    if (this.stopping || !child || child.exited()) return;
    const message: RuntimeMessage = { type: "invoke", fn, event };
    child.process.send(message);
  }

  /**
   * Takes no new events, drops the queues, waits for running invocations to end and collects what ran; returns how
   * many events were dropped. A second call gives the first one's answer.
   */
  stop(): Promise<number> {
    this.stopping ??= this.collect();
    return this.stopping;
  }

  /** Kills what is left (after a failed run). */
  async kill(): Promise<void> {
    for (const child of this.children.values()) await child.stop(1_000);
  }

  private async collect(): Promise<number> {
    const answers = await Promise.all([...this.children.values()].map((child) => stopOne(child)));
    let dropped = 0;
    for (const answer of answers) {
      if (!answer) continue;
      dropped += answer.dropped;
      this.records.push(...answer.records);
      for (const [fn, n] of answer.throttled) this.throttled.set(fn, n);
      for (const [fn, n] of answer.overran) this.overran.set(fn, n);
    }
    this.records.sort((a, b) => a.endedAt - b.endedAt);
    for (const child of this.children.values()) {
      addCounts(this.logged, child.logged);
      addCounts(this.errors, child.errors);
    }
    return dropped;
  }
}

async function stopOne(child: Child): Promise<RuntimeStopped | undefined> {
  if (child.exited()) return undefined;
  const stopped = new Promise<RuntimeStopped>((resolve, reject) => {
    child.process.once("message", (message: RuntimeStopped) => resolve(message));
    child.process.once("exit", () =>
      reject(new Error("a simulated Lambda function exited before it stopped")),
    );
  });
  const message: RuntimeMessage = { type: "stop" };
  child.process.send(message);
  const answer = await stopped;
  await child.stop(5_000);
  return answer;
}
