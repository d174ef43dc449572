import type { InvocationContext } from "../../src/entrypoints/lambda/context.js";

/** A function's handler as one container (execution environment) runs it. */
export type Handler = (event: unknown, context: InvocationContext) => Promise<unknown>;

export interface FunctionSpec {
  name: string;
  /** Reserved concurrency: containers running at once; excess invocations are throttled. */
  reserved: number;
  timeoutMs: number;
  /** A cold start: builds one container's handler (module state, SDK clients, adapters). */
  build(): Promise<Handler>;
}

/** One run of the handler in a container. */
export interface InvocationRecord {
  fn: string;
  event: unknown;
  queuedAt: number;
  startedAt: number;
  endedAt: number;
  cold: boolean;
  /** Throttled attempts before this one ran. */
  throttles: number;
  result?: unknown;
  error?: string;
}

interface Queued {
  fn: string;
  event: unknown;
  queuedAt: number;
  nextAt: number;
  throttles: number;
  errors: number;
}

interface Container {
  handler: Handler;
  busy: boolean;
}

/** Throttled events come back after 1 s, doubling to 5 minutes (Lambda's documented asynchronous behaviour). */
const THROTTLE_FIRST_MS = 1_000;
const THROTTLE_MAX_MS = 300_000;
/** A function error (timeouts included) is retried twice, one and then two minutes later. */
const ERROR_RETRY_MS = [60_000, 120_000];

/**
 * Lambda's asynchronous invocation as the stack uses it, in this process: each function runs at most its reserved
 * concurrency of containers; an event that finds none free is throttled and tried again with Lambda's backoff;
 * containers are reused warm; each invocation gets the function's timeout as its remaining time. A handler cannot
 * be killed here, so one running past its timeout is recorded (`overran`) instead.
 */
export class LambdaService {
  readonly records: InvocationRecord[] = [];
  private readonly specs = new Map<string, FunctionSpec>();
  private readonly containers = new Map<string, Container[]>();
  private readonly running = new Map<string, number>();
  private queue: Queued[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Throttled attempts, by function. */
  readonly throttled = new Map<string, number>();
  /** Invocations that ran past the function's timeout, by function (Lambda would have killed them). */
  readonly overran = new Map<string, number>();

  constructor(specs: FunctionSpec[]) {
    for (const spec of specs) {
      this.specs.set(spec.name, spec);
      this.containers.set(spec.name, []);
      this.running.set(spec.name, 0);
    }
  }

  /** An asynchronous Invoke (InvocationType Event): queued, run when a container is free. */
  invokeAsync(fn: string, event: unknown): void {
    if (this.stopped || !this.specs.has(fn)) return;
    const now = Date.now();
    this.queue.push({ fn, event, queuedAt: now, nextAt: now, throttles: 0, errors: 0 });
    this.pump();
  }

  /** Events waiting in the asynchronous queue (throttled ones included). */
  get queued(): number {
    return this.queue.length;
  }

  /** Takes no new events, drops the queue and waits for running invocations to end. */
  async stop(): Promise<number> {
    this.stopped = true;
    const dropped = this.queue.length;
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
    return dropped;
  }

  private pump(): void {
    if (this.stopped) return;
    const now = Date.now();
    const later: Queued[] = [];
    for (const item of this.queue) {
      if (item.nextAt > now) {
        later.push(item);
        continue;
      }
      const spec = this.specs.get(item.fn) as FunctionSpec;
      if ((this.running.get(item.fn) ?? 0) >= spec.reserved) {
        item.throttles++;
        this.throttled.set(item.fn, (this.throttled.get(item.fn) ?? 0) + 1);
        const wait = Math.min(THROTTLE_FIRST_MS * 2 ** (item.throttles - 1), THROTTLE_MAX_MS);
        item.nextAt = now + wait * (0.5 + Math.random() / 2);
        later.push(item);
        continue;
      }
      this.run(spec, item);
    }
    this.queue = later;
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0 || this.stopped) return;
    const next = Math.min(...this.queue.map((item) => item.nextAt));
    this.timer = setTimeout(() => this.pump(), Math.max(next - Date.now(), 5));
  }

  private run(spec: FunctionSpec, item: Queued): void {
    this.running.set(spec.name, (this.running.get(spec.name) ?? 0) + 1);
    const work = this.invoke(spec, item).finally(() => {
      this.running.set(spec.name, (this.running.get(spec.name) ?? 1) - 1);
      this.inFlight.delete(work);
      this.pump();
    });
    this.inFlight.add(work);
  }

  private async invoke(spec: FunctionSpec, item: Queued): Promise<void> {
    const startedAt = Date.now();
    const pool = this.containers.get(spec.name) as Container[];
    let container = pool.find((c) => !c.busy);
    const cold = container === undefined;
    if (!container) {
      container = { handler: await spec.build(), busy: false };
      pool.push(container);
    }
    container.busy = true;
    const context: InvocationContext = {
      getRemainingTimeInMillis: () => spec.timeoutMs - (Date.now() - startedAt),
    };
    const record: InvocationRecord = {
      fn: spec.name,
      event: item.event,
      queuedAt: item.queuedAt,
      startedAt,
      endedAt: startedAt,
      cold,
      throttles: item.throttles,
    };
    try {
      record.result = await container.handler(item.event, context);
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    } finally {
      container.busy = false;
      record.endedAt = Date.now();
      this.records.push(record);
    }
    const timedOut = record.endedAt - startedAt > spec.timeoutMs;
    if (timedOut) this.overran.set(spec.name, (this.overran.get(spec.name) ?? 0) + 1);
    if ((record.error !== undefined || timedOut) && item.errors < ERROR_RETRY_MS.length && !this.stopped) {
      const wait = ERROR_RETRY_MS[item.errors] ?? 0;
      this.queue.push({ ...item, errors: item.errors + 1, nextAt: Date.now() + wait });
    }
  }
}
