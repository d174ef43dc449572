import type { AccountAssignmentOperationStatus } from "@aws-sdk/client-sso-admin";
import { describe, expect, it } from "vitest";
import { IdentityCenterRequestFailed } from "../../../../src/adapters/identity-center/errors.js";
import {
  DEFAULT_POLL,
  type PollerDeps,
  type PollPolicy,
  StatusPoller,
} from "../../../../src/adapters/identity-center/poller.js";
import type { OperationOutcome } from "../../../../src/app/ports.js";
import { FakeTime } from "../../../support/fake-time.js";

/** Operations that end at given times, answering Describe and List like Identity Center, counting the calls. */
class FakeOperations {
  readonly ends = new Map<string, { at: number; failure?: string }>();
  readonly calls = { describe: 0, list: 0 };
  readonly settled: string[] = [];
  /** What happened to each request, in order: "left r-1" (seen gone from a List), "describe r-1". */
  readonly events: string[] = [];
  /** When each request's await ended. */
  readonly settledAt = new Map<string, number>();
  refuseList = false;

  constructor(private readonly time: FakeTime) {}

  add(requestId: string, durationMs: number, failure?: string): string {
    this.ends.set(requestId, { at: this.time.now + durationMs, ...(failure ? { failure } : {}) });
    return requestId;
  }

  poller(policy: Partial<PollPolicy> = {}, extra: Partial<PollerDeps> = {}): StatusPoller {
    return new StatusPoller({
      kind: "deletion",
      clock: this.time.clock,
      sleep: this.time.sleep,
      policy: { ...DEFAULT_POLL, ...policy },
      describe: async (id) => {
        this.calls.describe += 1;
        this.events.push(`describe ${id}`);
        return this.status(id);
      },
      listInProgress: async () => {
        this.calls.list += 1;
        if (this.refuseList) {
          throw new IdentityCenterRequestFailed(
            "ListAccountAssignmentDeletionStatus",
            "AccessDenied",
            "access-denied",
          );
        }
        return new Set([...this.ends.keys()].filter((id) => this.status(id).Status === "IN_PROGRESS"));
      },
      onSettled: (id) => {
        this.settled.push(id);
        this.settledAt.set(id, this.time.now);
      },
      onLeftInProgress: (id) => this.events.push(`left ${id}`),
      ...extra,
    });
  }

  private status(id: string): AccountAssignmentOperationStatus {
    const end = this.ends.get(id);
    if (!end || this.time.now < end.at) return { Status: "IN_PROGRESS", RequestId: id };
    return end.failure
      ? { Status: "FAILED", RequestId: id, FailureReason: end.failure }
      : { Status: "SUCCEEDED", RequestId: id };
  }
}

/** Moves the fake time on until every outcome is in. */
async function drain<T>(time: FakeTime, promises: Array<Promise<T>>): Promise<T[]> {
  let done = false;
  const all = Promise.all(promises).finally(() => (done = true));
  while (!done) await time.advance(100);
  return all;
}

describe("StatusPoller", () => {
  it.each([
    [1_000, 1],
    [1_500, 1],
    [1_501, 2],
    [2_000, 2],
    [3_000, 2],
  ])(
    "describes a lone operation of %i ms %i time(s) with the default policy",
    async (durationMs, describes) => {
      const time = new FakeTime();
      const ops = new FakeOperations(time);
      const id = ops.add("r-1", durationMs);

      const [outcome] = await drain(time, [ops.poller().wait(id, 60_000)]);

      expect(outcome).toEqual({ status: "succeeded", requestId: id });
      expect(ops.calls).toEqual({ describe: describes, list: 0 });
    },
  );

  it("polls 30 awaited deletions with one List per tick and one Describe each", async () => {
    const time = new FakeTime();
    const ops = new FakeOperations(time);
    const poller = ops.poller();
    const ids = Array.from({ length: 30 }, (_, i) => ops.add(`r-${i}`, 1_000 + i * 69));

    const outcomes = await drain(
      time,
      ids.map((id) => poller.wait(id, 60_000)),
    );

    expect(outcomes.every((o) => o.status === "succeeded")).toBe(true);
    expect(ops.calls.describe).toBe(30);
    expect(ops.calls.list).toBeLessThanOrEqual(3);
  });

  it("gives a request's slot back at the List that no longer shows it, before its outcome is read", async () => {
    const time = new FakeTime();
    const ops = new FakeOperations(time);
    const poller = ops.poller();
    // Still running at the first List (1.5 s), gone by a later one.
    const ids = ["a", "b", "c", "d"].map((id, i) => ops.add(id, 2_200 + i * 400));

    await drain(
      time,
      ids.map((id) => poller.wait(id, 60_000)),
    );

    for (const id of ids) {
      expect(ops.events.indexOf(`left ${id}`)).toBeGreaterThanOrEqual(0);
      expect(ops.events.indexOf(`left ${id}`)).toBeLessThan(ops.events.indexOf(`describe ${id}`));
    }
  });

  it("keeps the slot of a request no List has shown running until a Describe reads how it ended", async () => {
    const time = new FakeTime();
    const ops = new FakeOperations(time);
    const poller = ops.poller();
    // Ended before the first List: a List that lags behind a Create would not show it either.
    const ids = ["a", "b", "c"].map((id, i) => ops.add(id, 1_000 + i * 100));

    const outcomes = await drain(
      time,
      ids.map((id) => poller.wait(id, 60_000)),
    );

    expect(outcomes.map((o) => o.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(ops.events.filter((e) => e.startsWith("left "))).toEqual([]);
    expect([...ops.settled].sort()).toEqual(ids);
  });

  it("gives a new await the outcome of a Describe that outlived the last await of the same request", async () => {
    const time = new FakeTime();
    let answer: ((status: AccountAssignmentOperationStatus) => void) | undefined;
    const settled: string[] = [];
    const poller = new StatusPoller({
      kind: "deletion",
      clock: time.clock,
      sleep: time.sleep,
      policy: { ...DEFAULT_POLL, batchFrom: 1 },
      // A Describe held up (throttled, retried) past the first caller's deadline.
      describe: () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
      listInProgress: async () => new Set<string>(),
      onSettled: (id) => settled.push(id),
    });
    const first = poller.wait("r-1", 2_000);
    await time.advance(2_100);
    expect(await first).toEqual({ status: "in-progress", requestId: "r-1" });
    expect(settled).toEqual([]);

    let second: OperationOutcome | undefined;
    void poller.wait("r-1", 60_000).then((outcome) => {
      second = outcome;
    });
    await time.advance(10);
    answer?.({ RequestId: "r-1", Status: "SUCCEEDED" });
    await time.advance(1_000);

    expect(second?.status).toBe("succeeded");
    expect(poller.isAwaiting("r-1")).toBe(false);
    expect(settled).toEqual(["r-1"]);
  });

  it.each([
    [false, DEFAULT_POLL.tickMs],
    [true, DEFAULT_POLL.busyTickMs],
  ])("sees a request end within one tick when slots are wanted is %s", async (wanted, tickMs) => {
    const time = new FakeTime();
    const ops = new FakeOperations(time);
    const poller = ops.poller({}, { slotsWanted: () => wanted });
    const ids = Array.from({ length: 20 }, (_, i) => ops.add(`r-${i}`, 1_500 + i * 77));

    await drain(
      time,
      ids.map((id) => poller.wait(id, 60_000)),
    );

    const late = ids.map((id) => (ops.settledAt.get(id) ?? 0) - (ops.ends.get(id)?.at ?? 0));
    expect(Math.max(...late)).toBeLessThanOrEqual(tickMs + 100);
  });

  it("returns FAILED as a failed outcome with Identity Center's reason", async () => {
    const time = new FakeTime();
    const ops = new FakeOperations(time);
    const id = ops.add("r-1", 1_200, "Received a 404 status error: Not supported policy");

    const [outcome] = await drain(time, [ops.poller().wait(id, 60_000)]);

    expect(outcome).toEqual({
      status: "failed",
      requestId: id,
      reason: "Received a 404 status error: Not supported policy",
    });
  });

  it("returns in-progress at the caller's deadline, then a later await finds the outcome", async () => {
    const time = new FakeTime();
    const ops = new FakeOperations(time);
    const poller = ops.poller();
    const id = ops.add("r-1", 20_000);

    const [first] = await drain(time, [poller.wait(id, 4_000)]);
    expect(first).toEqual({ status: "in-progress", requestId: id });
    expect(time.now).toBeLessThanOrEqual(4_100);
    expect(ops.settled).toEqual([id]);

    const [second] = await drain(time, [poller.wait(id, time.now + 60_000)]);
    expect(second).toEqual({ status: "succeeded", requestId: id });
  });

  it("shares the polls of one request between concurrent awaits", async () => {
    const time = new FakeTime();
    const ops = new FakeOperations(time);
    const poller = ops.poller();
    const id = ops.add("r-1", 2_000);

    const outcomes: OperationOutcome[] = await drain(time, [
      poller.wait(id, 60_000),
      poller.wait(id, 60_000),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(["succeeded", "succeeded"]);
    expect(ops.calls.describe).toBe(2);
  });

  it("answers an await of a finished request from what it already saw, without a call", async () => {
    const time = new FakeTime();
    const ops = new FakeOperations(time);
    const poller = ops.poller();
    const id = ops.add("r-1", 1_000);
    await drain(time, [poller.wait(id, 60_000)]);
    const before = { ...ops.calls };

    expect(await poller.wait(id, time.now + 60_000)).toEqual({ status: "succeeded", requestId: id });
    expect(ops.calls).toEqual(before);
  });

  it("gives a caller whose deadline has already passed one look", async () => {
    const time = new FakeTime();
    const ops = new FakeOperations(time);
    const id = ops.add("r-1", 5_000);

    expect(await ops.poller().wait(id, time.now)).toEqual({ status: "in-progress", requestId: id });
    expect(ops.calls.describe).toBe(1);
  });

  it("describes each request on its own when List…Status is refused", async () => {
    const time = new FakeTime();
    const ops = new FakeOperations(time);
    ops.refuseList = true;
    const poller = ops.poller();
    const ids = ["a", "b", "c", "d"].map((id) => ops.add(id, 1_200));

    const outcomes = await drain(
      time,
      ids.map((id) => poller.wait(id, 60_000)),
    );

    expect(outcomes.every((o) => o.status === "succeeded")).toBe(true);
    expect(ops.calls).toEqual({ list: 1, describe: 4 });
  });
});
