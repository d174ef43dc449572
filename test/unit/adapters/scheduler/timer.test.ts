import { describe, expect, it } from "vitest";
import { Sweeper, TimerScheduler } from "../../../../src/adapters/scheduler/timer.js";
import { waitFor } from "../../../support/e2e.js";

const clock = { now: () => Date.now() };

describe("timer scheduler", () => {
  it("drives every grant that falls due, a few at a time", async () => {
    let running = 0;
    let most = 0;
    const done: string[] = [];
    const scheduler = new TimerScheduler(clock, async (grantId) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      done.push(grantId);
    });
    const ids = Array.from({ length: 30 }, (_, i) => `g${i}`);
    for (const id of ids) await scheduler.schedule(id, Date.now());
    await waitFor("every grant", () => done.length === ids.length);
    expect(done.sort()).toEqual([...ids].sort());
    expect(most).toBeLessThanOrEqual(8);
    expect(scheduler.size).toBe(0);
    scheduler.stop();
  });

  it("does not drive a grant whose time was cancelled or moved later", async () => {
    const done: string[] = [];
    const scheduler = new TimerScheduler(clock, async (grantId) => {
      done.push(grantId);
    });
    await scheduler.schedule("cancelled", Date.now() + 20);
    await scheduler.schedule("moved", Date.now() + 20);
    await scheduler.schedule("kept", Date.now() + 20);
    await scheduler.cancel("cancelled");
    await scheduler.schedule("moved", Date.now() + 3_600_000);
    await waitFor("the kept grant", () => done.includes("kept"));
    expect(done).toEqual(["kept"]);
    expect(scheduler.size).toBe(1);
    scheduler.stop();
  });
});

describe("sweeper", () => {
  it("tells a running pass that the server is stopping and waits for it", async () => {
    let sawStop = false;
    let passes = 0;
    const sweeper = new Sweeper(async (stopped) => {
      passes++;
      await waitFor("the stop", () => stopped());
      sawStop = true;
    }, 10);
    sweeper.start();
    await waitFor("a pass", () => passes > 0);
    await sweeper.stop();
    expect(sawStop).toBe(true);
    expect(passes).toBe(1);
  });
});
