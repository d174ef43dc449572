import type { Priority } from "../../app/ports.js";

/** Runs `fn` after `ms` milliseconds; tests pass a fake that a fake clock drives. */
export type Schedule = (ms: number, fn: () => void) => void;

export const unrefTimer: Schedule = (ms, fn) => {
  setTimeout(fn, ms).unref();
};

/** The share of a quota kept for revocations when none is configured: a third, at most 5. */
export function defaultReserve(size: number): number {
  return Math.min(5, Math.floor(size / 3));
}

/**
 * Counting semaphore with two priorities. "revoke" waiters are admitted before "grant" waiters, and "grant" may
 * hold at most `size - reserved` permits, so `reserved` permits are always left for revocations.
 * First come, first served within a priority.
 */
export class PrioritySemaphore {
  private readonly held: Record<Priority, number> = { revoke: 0, grant: 0 };
  private readonly queues: Record<Priority, Array<() => void>> = { revoke: [], grant: [] };
  /** Waiters that go before the others of their priority: calls that hold an outstanding slot while they wait. */
  private readonly firsts: Record<Priority, Array<() => void>> = { revoke: [], grant: [] };
  /** Revocations on their way to `acquire` (recording an intent first): "grant" is not admitted ahead of them. */
  private expectedRevokes = 0;

  constructor(
    readonly size: number,
    readonly reserved = 0,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError("semaphore size must be a positive integer");
    if (!Number.isInteger(reserved) || reserved < 0 || reserved >= size) {
      throw new RangeError(`the reserved share must be an integer from 0 to ${size - 1}`);
    }
  }

  /** Permits held, by both priorities or by one. */
  inUse(priority?: Priority): number {
    return priority ? this.held[priority] : this.held.revoke + this.held.grant;
  }

  /** Permits a new waiter of this priority would be given now. */
  free(priority: Priority): number {
    const left = this.size - this.inUse();
    if (priority === "revoke") return left;
    return Math.max(0, Math.min(left - this.expectedRevokes, this.size - this.reserved - this.held.grant));
  }

  waiting(priority?: Priority): number {
    const of = (p: Priority) => this.queues[p].length + this.firsts[p].length;
    return priority ? of(priority) : of("revoke") + of("grant");
  }

  /** With `first`, the waiter goes before those of its priority that did not ask to (first come among those). */
  acquire(priority: Priority, first = false): Promise<void> {
    if (this.waiting(priority) === 0 && this.admits(priority)) {
      this.held[priority] += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => (first ? this.firsts : this.queues)[priority].push(resolve));
  }

  /**
   * Announces a revocation that will ask for a permit soon: until the returned function is called (once it has
   * asked, or given up), a permit it would find free is not given to "grant".
   */
  expectRevoke(): () => void {
    this.expectedRevokes += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.expectedRevokes -= 1;
      this.pump();
    };
  }

  release(priority: Priority): void {
    if (this.held[priority] < 1) throw new Error(`release of a ${priority} permit that is not held`);
    this.held[priority] -= 1;
    this.pump();
  }

  async run<T>(priority: Priority, fn: () => Promise<T>): Promise<T> {
    await this.acquire(priority);
    try {
      return await fn();
    } finally {
      this.release(priority);
    }
  }

  private admits(priority: Priority): boolean {
    if (this.inUse() >= this.size) return false;
    if (priority === "revoke") return true;
    return this.held.grant < this.size - this.reserved && this.inUse() + this.expectedRevokes < this.size;
  }

  private pump(): void {
    for (const priority of ["revoke", "grant"] as const) {
      for (const queue of [this.firsts[priority], this.queues[priority]]) {
        while (queue.length > 0 && this.admits(priority)) {
          this.held[priority] += 1;
          queue.shift()?.();
        }
      }
    }
  }
}

/**
 * Token bucket whose tokens return one window after their call ends, so no server-side window sees more than
 * `limit` calls; revocations go first and keep `reserved` tokens of their own.
 */
export class RateLimiter {
  private readonly tokens: PrioritySemaphore;
  private readonly windowMs: number;
  private readonly schedule: Schedule;

  constructor(options: { limit: number; reserved?: number; windowMs?: number; schedule?: Schedule }) {
    this.tokens = new PrioritySemaphore(options.limit, options.reserved ?? 0);
    this.windowMs = options.windowMs ?? 1000;
    this.schedule = options.schedule ?? unrefTimer;
  }

  /** Tokens taken and not yet back. */
  inUse(priority?: Priority): number {
    return this.tokens.inUse(priority);
  }

  waiting(priority?: Priority): number {
    return this.tokens.waiting(priority);
  }

  /** With `first`, the call goes before waiting calls of its priority that did not ask to. */
  async run<T>(priority: Priority, fn: () => Promise<T>, first = false): Promise<T> {
    await this.tokens.acquire(priority, first);
    try {
      return await fn();
    } finally {
      this.schedule(this.windowMs, () => this.tokens.release(priority));
    }
  }
}
