/** Runs `fn` after `ms` milliseconds; tests pass a fake that a fake clock drives. */
export type Schedule = (ms: number, fn: () => void) => void;

const unrefTimer: Schedule = (ms, fn) => {
  setTimeout(fn, ms).unref();
};

/** First-come first-served counting semaphore. */
export class Semaphore {
  private held = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`semaphore size must be a positive integer`);
  }

  get inUse(): number {
    return this.held;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  acquire(): Promise<void> {
    if (this.held < this.size && this.waiters.length === 0) {
      this.held += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held -= 1;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/** Token bucket whose tokens return one window after their call ends: no server-side window sees more than `limit`. */
export class RateLimiter {
  private readonly tokens: Semaphore;
  private readonly windowMs: number;
  private readonly schedule: Schedule;

  constructor(options: { limit: number; windowMs?: number; schedule?: Schedule }) {
    this.tokens = new Semaphore(options.limit);
    this.windowMs = options.windowMs ?? 1000;
    this.schedule = options.schedule ?? unrefTimer;
  }

  /** Tokens taken and not yet back. */
  get inUse(): number {
    return this.tokens.inUse;
  }

  get waiting(): number {
    return this.tokens.waiting;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.tokens.acquire();
    try {
      return await fn();
    } finally {
      this.schedule(this.windowMs, () => this.tokens.release());
    }
  }
}
