import { describe, expect, it } from "vitest";
import { RateLimiter, Semaphore } from "../../src/adapters/identity-center/limiter.js";

/** A clock that only moves when told, driving the limiter's scheduled token returns. */
class FakeTime {
  now = 0;
  private timers: Array<{ at: number; fn: () => void }> = [];

  schedule = (ms: number, fn: () => void) => {
    this.timers.push({ at: this.now + ms, fn });
  };

  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
    }
    this.now = end;
    await settle();
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("RateLimiter", () => {
  it("starts `limit` calls at once and the next only a window after one of them ended", async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ limit: 3, schedule: time.schedule });
    const starts: number[] = [];

    const calls = Array.from({ length: 4 }, () => limiter.run(async () => void starts.push(time.now)));
    await time.advance(999);
    expect(starts).toEqual([0, 0, 0]);

    await time.advance(1);
    await Promise.all(calls);
    expect(starts).toEqual([0, 0, 0, 1000]);
  });

  it("counts the window from when a slow call ends, not from when it started", async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ limit: 1, schedule: time.schedule });
    const slow = deferred();
    const starts: number[] = [];

    const first = limiter.run(() => {
      starts.push(time.now);
      return slow.promise;
    });
    const second = limiter.run(async () => void starts.push(time.now));
    await time.advance(500);
    slow.resolve();
    await time.advance(999);
    expect(starts).toEqual([0]);

    await time.advance(1);
    await Promise.all([first, second]);
    expect(starts).toEqual([0, 1500]);
  });

  it("never starts more than `limit` calls in any one-second window", async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ limit: 20, schedule: time.schedule });
    const starts: number[] = [];

    const calls = Array.from({ length: 100 }, () => limiter.run(async () => void starts.push(time.now)));
    while (starts.length < 100) await time.advance(10);
    await Promise.all(calls);

    const busiest = Math.max(...starts.map((t) => starts.filter((s) => s > t - 1000 && s <= t).length));
    expect(busiest).toBe(20);
  });

  it("gives the token back when the call fails", async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ limit: 1, schedule: time.schedule });

    await expect(limiter.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await time.advance(1000);

    expect(limiter.inUse).toBe(0);
  });
});

describe("Semaphore", () => {
  it("holds at most `size` at once and admits waiters first come, first served", async () => {
    const semaphore = new Semaphore(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const order: number[] = [];

    const runs = gates.map((gate, i) =>
      semaphore.run(async () => {
        order.push(i);
        await gate.promise;
      }),
    );
    await settle();
    expect(order).toEqual([0, 1]);
    expect(semaphore.waiting).toBe(2);

    gates[1]?.resolve();
    await settle();
    expect(order).toEqual([0, 1, 2]);

    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(semaphore.inUse).toBe(0);
  });

  it("releases its permit when the work throws", async () => {
    const semaphore = new Semaphore(1);

    await expect(semaphore.run(() => Promise.reject(new Error("nope")))).rejects.toThrow("nope");

    expect(semaphore.inUse).toBe(0);
  });

  it.each([0, -1, 1.5])("refuses a size of %s", (size) => {
    expect(() => new Semaphore(size)).toThrow(RangeError);
  });
});
