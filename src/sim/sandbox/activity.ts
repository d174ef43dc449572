/** Counts calls into the bot's ports, so the terminal driver can wait until the bot has gone quiet. */
export class Activity {
  private pending = 0;
  private ticks = 0;
  private readonly listeners = new Set<() => void>();

  /** Something happened (a Slack call, a response_url post). */
  tick(): void {
    this.ticks += 1;
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` on every tick, e.g. to redraw what depends on the bot's state; returns how to stop. */
  onTick(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes whenever anything happened; compare two readings to see whether the bot was idle. */
  get count(): number {
    return this.ticks;
  }

  /** A watched call has not finished yet. */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** The same object, with every method call counted and its promise tracked until settled. */
  watch<T extends object>(target: T): T {
    return new Proxy(target, {
      get: (object, key) => {
        const value: unknown = Reflect.get(object, key, object);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          this.tick();
          const result: unknown = value.apply(object, args);
          if (!(result instanceof Promise)) return result;
          this.pending += 1;
          return result.finally(() => {
            this.pending -= 1;
            this.tick();
          });
        };
      },
    });
  }
}
