import { describe, expect, it } from "vitest";
import { DriveQueue } from "../../../src/app/drive-queue.js";

function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe("drive queue", () => {
  it("starts waiting revocations before anything else that waits", async () => {
    const order: string[] = [];
    const first = gate();
    const queue = new DriveQueue(async (id) => {
      order.push(id);
      if (id === "busy") await first.opened;
      return true;
    }, 1);
    queue.submit("busy", "other");
    queue.submit("provision-1", "other");
    queue.submit("expiry-1", "revoke");
    queue.submit("provision-2", "other");
    queue.submit("expiry-2", "revoke");
    first.open();
    await queue.idle();
    expect(order).toEqual(["busy", "expiry-1", "expiry-2", "provision-1", "provision-2"]);
  });

  it("never drives a grant twice at once, and drives it once more when asked while it ran", async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    const slow = gate();
    const queue = new DriveQueue(async () => {
      running++;
      runs++;
      most = Math.max(most, running);
      if (runs === 1) await slow.opened;
      running--;
      return true;
    }, 8);
    queue.submit("g1");
    queue.submit("g1");
    queue.submit("g1");
    slow.open();
    await queue.idle();
    expect(most).toBe(1);
    expect(runs).toBe(2);
  });

  it("counts drives that could not move their grant on", async () => {
    const queue = new DriveQueue(async (id) => id !== "bad", 4);
    for (const id of ["a", "bad", "b"]) queue.submit(id);
    await queue.idle();
    expect(queue.failed).toBe(1);
  });
});
