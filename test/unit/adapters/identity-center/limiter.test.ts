import { describe, expect, it } from "vitest";
import {
  defaultReserve,
  PrioritySemaphore,
  RateLimiter,
} from "../../../../src/adapters/identity-center/limiter.js";
import type { Priority } from "../../../../src/app/ports.js";
import { FakeTime, flush } from "../../../support/fake-time.js";

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

    const calls = Array.from({ length: 4 }, () =>
      limiter.run("grant", async () => void starts.push(time.now)),
    );
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

    const first = limiter.run("grant", () => {
      starts.push(time.now);
      return slow.promise;
    });
    const second = limiter.run("grant", async () => void starts.push(time.now));
    await time.advance(500);
    slow.resolve();
    await time.advance(999);
    expect(starts).toEqual([0]);

    await time.advance(1);
    await Promise.all([first, second]);
    expect(starts).toEqual([0, 1500]);
  });

  it("never starts more than `limit` calls in any one-second window, whatever the priorities", async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ limit: 20, reserved: 5, schedule: time.schedule });
    const starts: number[] = [];
    const priorities: Priority[] = ["grant", "revoke"];

    const calls = Array.from({ length: 100 }, (_, i) =>
      limiter.run(priorities[i % 2] ?? "grant", async () => void starts.push(time.now)),
    );
    while (starts.length < 100) await time.advance(10);
    await Promise.all(calls);

    const busiest = Math.max(...starts.map((t) => starts.filter((s) => s > t - 1000 && s <= t).length));
    expect(busiest).toBe(20);
  });

  it("serves waiting revocations before waiting grants when a token comes back", async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ limit: 2, schedule: time.schedule });
    const order: string[] = [];
    const run = (p: Priority, name: string) => limiter.run(p, async () => void order.push(name));

    const calls = [run("grant", "g1"), run("grant", "g2"), run("grant", "g3"), run("grant", "g4")];
    calls.push(run("revoke", "r1"), run("revoke", "r2"));
    await time.advance(2000);
    await Promise.all(calls);

    expect(order).toEqual(["g1", "g2", "r1", "r2", "g3", "g4"]);
  });

  it("keeps its reserved tokens for revocations while grants wait", async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ limit: 20, reserved: 5, schedule: time.schedule });
    const started: Priority[] = [];
    const grants = Array.from({ length: 30 }, () =>
      limiter.run("grant", async () => void started.push("grant")),
    );
    await flush();
    expect(started).toHaveLength(15);

    const revokes = Array.from({ length: 5 }, () =>
      limiter.run("revoke", async () => void started.push("revoke")),
    );
    await flush();

    expect(started.filter((p) => p === "revoke")).toHaveLength(5);
    expect(limiter.waiting("grant")).toBe(15);
    await time.advance(2000);
    await Promise.all([...grants, ...revokes]);
  });

  it("gives the token back when the call fails", async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ limit: 1, schedule: time.schedule });

    await expect(limiter.run("revoke", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await time.advance(1000);

    expect(limiter.inUse()).toBe(0);
  });
});

describe("PrioritySemaphore", () => {
  it("holds at most `size` at once and admits waiters of one priority first come, first served", async () => {
    const semaphore = new PrioritySemaphore(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const order: number[] = [];

    const runs = gates.map((gate, i) =>
      semaphore.run("grant", async () => {
        order.push(i);
        await gate.promise;
      }),
    );
    await flush();
    expect(order).toEqual([0, 1]);
    expect(semaphore.waiting()).toBe(2);

    gates[1]?.resolve();
    await flush();
    expect(order).toEqual([0, 1, 2]);

    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(semaphore.inUse()).toBe(0);
  });

  it("lets a deletion overtake creations that were waiting before it", async () => {
    const semaphore = new PrioritySemaphore(15, 5);
    const admitted: string[] = [];
    const take = (p: Priority, name: string) => semaphore.acquire(p).then(() => void admitted.push(name));
    for (let i = 0; i < 10; i += 1) await take("grant", `held-${i}`);
    for (let i = 0; i < 5; i += 1) await take("revoke", `held-r${i}`);
    admitted.length = 0;

    void take("grant", "creation-1");
    void take("grant", "creation-2");
    void take("revoke", "deletion-1");
    await flush();
    expect(admitted).toEqual([]);

    semaphore.release("grant");
    await flush();
    expect(admitted).toEqual(["deletion-1"]);
    semaphore.release("grant");
    await flush();
    expect(admitted).toEqual(["deletion-1", "creation-1"]);
  });

  it("admits a waiter that asks to go first before earlier waiters of its priority, never before a higher one", async () => {
    const semaphore = new PrioritySemaphore(1, 0);
    const admitted: string[] = [];
    const take = (p: Priority, name: string, first = false) =>
      semaphore.acquire(p, first).then(() => void admitted.push(name));
    await take("revoke", "held");
    void take("revoke", "status-read");
    void take("grant", "creation", true);
    void take("revoke", "deletion-1", true);
    void take("revoke", "deletion-2", true);

    for (let i = 0; i < 4; i += 1) {
      semaphore.release("revoke");
      await flush();
    }

    expect(admitted).toEqual(["held", "deletion-1", "deletion-2", "status-read", "creation"]);
  });

  it("keeps a freed permit from creations while a deletion on its way has not asked yet", async () => {
    const semaphore = new PrioritySemaphore(2, 0);
    const admitted: string[] = [];
    const take = (p: Priority, name: string) => semaphore.acquire(p).then(() => void admitted.push(name));
    await take("grant", "held-1");
    await take("grant", "held-2");
    void take("grant", "creation");
    const arrived = semaphore.expectRevoke();

    semaphore.release("grant");
    await flush();
    expect(admitted).toEqual(["held-1", "held-2"]);

    void take("revoke", "deletion");
    arrived();
    await flush();
    expect(admitted).toEqual(["held-1", "held-2", "deletion"]);
    semaphore.release("grant");
    await flush();
    expect(admitted).toEqual(["held-1", "held-2", "deletion", "creation"]);
  });

  it("gives the permit a deletion on its way would have had to creations once it gives up", async () => {
    const semaphore = new PrioritySemaphore(1, 0);
    const admitted: string[] = [];
    const gaveUp = semaphore.expectRevoke();
    void semaphore.acquire("grant").then(() => void admitted.push("creation"));
    await flush();
    expect(admitted).toEqual([]);

    gaveUp();
    gaveUp();
    await flush();

    expect(admitted).toEqual(["creation"]);
    expect(semaphore.inUse()).toBe(1);
  });

  it("lets grant work hold at most size minus the reserved share, leaving the rest to revocations", async () => {
    const semaphore = new PrioritySemaphore(15, 5);
    let creations = 0;
    let deletions = 0;
    for (let i = 0; i < 20; i += 1) void semaphore.acquire("grant").then(() => (creations += 1));
    await flush();
    expect(creations).toBe(10);

    for (let i = 0; i < 8; i += 1) void semaphore.acquire("revoke").then(() => (deletions += 1));
    await flush();

    expect(deletions).toBe(5);
    expect(semaphore.inUse()).toBe(15);
    expect(semaphore.waiting()).toEqual(13);
  });

  it("lets revocations use the grants' share when it is free", async () => {
    const semaphore = new PrioritySemaphore(15, 5);

    for (let i = 0; i < 15; i += 1) await semaphore.acquire("revoke");

    expect(semaphore.inUse("revoke")).toBe(15);
  });

  it("releases its permit when the work throws", async () => {
    const semaphore = new PrioritySemaphore(1);

    await expect(semaphore.run("grant", () => Promise.reject(new Error("nope")))).rejects.toThrow("nope");

    expect(semaphore.inUse()).toBe(0);
  });

  it.each([
    [0, 0],
    [-1, 0],
    [1.5, 0],
    [15, 15],
    [15, -1],
  ])("refuses a size of %s with %s reserved", (size, reserved) => {
    expect(() => new PrioritySemaphore(size, reserved)).toThrow(RangeError);
  });

  it.each([
    [20, 5],
    [15, 5],
    [10, 3],
    [3, 1],
    [1, 0],
  ])("reserves by default a third of %i, at most 5: %i", (size, reserved) => {
    expect(defaultReserve(size)).toBe(reserved);
  });
});
