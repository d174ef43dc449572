/** Lets pending promise callbacks run, so work started by a timer reaches its next wait. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A clock that only moves when told, with the schedule and sleep that adapters accept in its place. */
export class FakeTime {
  now = 0;
  private timers: Array<{ at: number; fn: () => void }> = [];

  readonly clock = { now: () => this.now };

  schedule = (ms: number, fn: () => void): void => {
    this.timers.push({ at: this.now + ms, fn });
  };

  sleep = (ms: number): Promise<void> => new Promise((resolve) => this.schedule(ms, resolve));

  /** Runs every timer due within `ms`, in time order, letting the work each one starts settle. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await flush();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = Math.max(this.now, due.at);
      due.fn();
    }
    this.now = end;
    await flush();
  }
}
