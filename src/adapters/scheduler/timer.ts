import type { Clock, RevocationScheduler } from "../../app/ports.js";

/** Grants driven at once when many fall due together. */
const MAX_PARALLEL = 8;
/** setTimeout's longest delay; later times are re-armed when it fires. */
const MAX_DELAY_MS = 2_147_483_647;

/** Runs `onDue(grantId)` at each scheduled time, with one timer for the earliest; for the long-running server. */
export class TimerScheduler implements RevocationScheduler {
  private readonly due = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private armedAt: number | undefined;
  private stopped = false;
  private readonly ready: string[] = [];
  private running = 0;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (grantId: string) => Promise<unknown>,
  ) {}

  async schedule(grantId: string, at: number): Promise<void> {
    this.due.set(grantId, at);
    if (this.armedAt === undefined || at < this.armedAt) this.arm();
  }

  async cancel(grantId: string): Promise<void> {
    this.due.delete(grantId);
  }

  /** How many grants have a time set. */
  get size(): number {
    return this.due.size;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = undefined;
    let next: number | undefined;
    for (const at of this.due.values()) if (next === undefined || at < next) next = at;
    if (next === undefined) return;
    this.armedAt = next;
    const delay = Math.min(Math.max(next - this.clock.now(), 0), MAX_DELAY_MS);
    this.timer = setTimeout(() => this.fire(), delay);
    this.timer.unref();
  }

  private fire(): void {
    const now = this.clock.now();
    const ready: string[] = [];
    for (const [grantId, at] of this.due) {
      if (at <= now) ready.push(grantId);
    }
    for (const grantId of ready) this.due.delete(grantId);
    this.arm();
    this.ready.push(...ready);
    this.pump();
  }

  /** A burst of grants due at once is worked off a few at a time, like the sweep does. */
  private pump(): void {
    while (this.running < MAX_PARALLEL && this.ready.length > 0 && !this.stopped) {
      const grantId = this.ready.shift() as string;
      this.running++;
      void this.onDue(grantId)
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}

/** Runs one expiry pass every `intervalMs`, never two at once; the safety net behind the timers. */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    /** One pass; `stopped` turns true when the server is shutting down, so a long pass can end early. */
    private readonly sweep: (stopped: () => boolean) => Promise<unknown>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.sweep(() => this.stopped)
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
      });
  }
}
