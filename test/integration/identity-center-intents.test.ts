import { describe, expect, it } from "vitest";
import { AHEAD } from "../../src/adapters/identity-center/slots.js";
import { IntentTooSlow } from "../../src/app/errors.js";
import { DEFAULT_INSTANCE, type SimUser } from "../../src/sim/identity-center/index.js";
import { callsOf, userAssignment } from "../support/ic.js";
import { identityCenterForEachTest, later, tuple } from "../support/identity-center-fixtures.js";

const { ic, adapter, target, users: addUsers } = identityCenterForEachTest();

/** Users whose ReadOnly assignment in PROD exists, for deletions. */
function assigned(n: number): SimUser[] {
  const users = addUsers(n, "leaver");
  for (const user of users) ic.sim.addAssignment(userAssignment(target(user)));
  return users;
}

/** Two such users. */
function twoAssigned(): [SimUser, SimUser] {
  const [first, second] = assigned(2);
  if (!first || !second) throw new Error("two users were added");
  return [first, second];
}

/** An intent that records when it ran and how many DeleteAccountAssignment calls the simulator had seen then. */
function intentLog() {
  const log: Array<{ user: string; deletesSeen: number }> = [];
  const intend = (user: string) => async () => {
    log.push({ user, deletesSeen: callsOf(ic, "DeleteAccountAssignment").length });
    return Date.now() + 2_000;
  };
  return { log, intend };
}

describe("IdentityCenterAdapter, intents recorded while the outstanding quota is full", () => {
  it("records a waiting deletion's intent before a slot frees, so the freed slot goes straight to a send", async () => {
    ic.sim.setFaults({ delayRangeMs: [300, 300], seed: 3 });
    const [first, second] = twoAssigned();
    const ac = adapter({ ...DEFAULT_INSTANCE, limits: { maxOutstanding: 1, reservedOps: 0 } });
    const { log, intend } = intentLog();
    const a = await ac.startDeletion(tuple(target(first)), { intend: intend("first") });
    const b = ac.startDeletion(tuple(target(second)), { intend: intend("second") });
    await new Promise((resolve) => setTimeout(resolve, 50));

    // The first deletion holds the only slot; the second's intent is recorded already, its Delete not sent.
    expect(log).toEqual([
      { user: "first", deletesSeen: 0 },
      { user: "second", deletesSeen: 1 },
    ]);
    expect(callsOf(ic, "DeleteAccountAssignment")).toHaveLength(1);

    if ("gone" in a) throw new Error("the first assignment exists");
    expect(await ac.awaitOperation("deletion", a.requestId, later())).toMatchObject({ status: "succeeded" });
    const started = await b;
    if ("gone" in started) throw new Error("the second assignment exists");
    expect(await ac.awaitOperation("deletion", started.requestId, later())).toMatchObject({
      status: "succeeded",
    });
    // Sent on the intent it had: no second intent was needed for a wait inside the send window.
    expect(log.map((l) => l.user)).toEqual(["first", "second"]);
    expect(callsOf(ic, "DeleteAccountAssignment", "ok")).toHaveLength(2);
  });

  it("lets only a few writes record intents ahead of a full quota, and records another before a late send", async () => {
    ic.sim.setFaults({ delayRangeMs: [400, 400], seed: 5 });
    const users = assigned(AHEAD.revoke + 4);
    const ac = adapter({ ...DEFAULT_INSTANCE, limits: { maxOutstanding: 1, reservedOps: 0 } });
    const intents: Array<{ user: string; sendBy: number }> = [];
    // A send window shorter than the wait for the slot: an intent recorded ahead is stale by the time of the send.
    const intend = (user: string) => async () => {
      const sendBy = Date.now() + 100;
      intents.push({ user, sendBy });
      return sendBy;
    };
    const remove = async (user: SimUser) => {
      const started = await ac.startDeletion(tuple(target(user)), { intend: intend(user.id) });
      if ("gone" in started) throw new Error("the assignment exists");
      return ac.awaitOperation("deletion", started.requestId, later());
    };
    const all = users.map(remove);
    await new Promise((resolve) => setTimeout(resolve, 100));

    // One holds the slot; AHEAD.revoke more have recorded their intent and wait; the rest wait before recording one.
    expect(intents).toHaveLength(1 + AHEAD.revoke);
    const outcomes = await Promise.all(all);

    expect(outcomes.every((o) => o.status === "succeeded")).toBe(true);
    const deletes = callsOf(ic, "DeleteAccountAssignment", "ok");
    expect(deletes).toHaveLength(users.length);
    // Every Delete left within the send window of the last intent recorded before it: a stale one was renewed.
    for (const call of deletes) {
      const user = String((call.input as { PrincipalId?: string }).PrincipalId);
      const last = intents.filter((i) => i.user === user && i.sendBy - 100 <= call.at).at(-1);
      expect(last && call.at <= last.sendBy).toBe(true);
    }
    const renewed = users
      .slice(1, 1 + AHEAD.revoke)
      .map((u) => intents.filter((i) => i.user === u.id).length);
    expect(renewed.every((n) => n >= 2)).toBe(true);
    expect(ic.sim.assignments()).toHaveLength(0);
  });

  it("holds no slot when recording the intent fails: the next deletion is sent", async () => {
    const [first, second] = twoAssigned();
    const ac = adapter({ ...DEFAULT_INSTANCE, limits: { maxOutstanding: 1, reservedOps: 0 } });
    const failing = async (): Promise<number> => {
      throw new Error("the claim was lost");
    };

    await expect(ac.startDeletion(tuple(target(first)), { intend: failing })).rejects.toThrow(
      "the claim was lost",
    );
    const started = await ac.startDeletion(tuple(target(second)), {
      intend: async () => Date.now() + 2_000,
    });

    if ("gone" in started) throw new Error("the assignment exists");
    expect(await ac.awaitOperation("deletion", started.requestId, later())).toMatchObject({
      status: "succeeded",
    });
    expect(callsOf(ic, "DeleteAccountAssignment")).toHaveLength(1);
  });

  it("asks for the intent once, not again and again, while it holds a rate token, and sends nothing when it throws", async () => {
    const [first, second] = twoAssigned();
    const ac = adapter({ ...DEFAULT_INSTANCE, limits: { maxOutstanding: 1, reservedOps: 0 } });
    // An intent whose window has always passed by the time it is checked: every check finds it stale.
    const asked: Array<{ once?: boolean } | undefined> = [];
    const stale = async (options?: { once?: boolean }) => {
      asked.push(options);
      return Date.now() - 1;
    };
    const deleting = await ac.startDeletion(tuple(target(first)), { intend: stale });
    // Before the slot, before the token (each may try again inside `intend`), then once inside the token.
    expect(asked).toEqual([undefined, undefined, { once: true }]);
    if ("gone" in deleting) throw new Error("the assignment exists");
    await ac.awaitOperation("deletion", deleting.requestId, later());

    // Inside the token the intent gives up (the store too slow to send safely): nothing leaves, the slot is free.
    let calls = 0;
    const givesUp = async (options?: { once?: boolean }) => {
      calls++;
      if (options?.once) throw new IntentTooSlow("tstaaaa2", 2_000);
      return Date.now() - 1;
    };
    ic.sim.clearCalls();
    await expect(ac.startDeletion(tuple(target(second)), { intend: givesUp })).rejects.toBeInstanceOf(
      IntentTooSlow,
    );
    expect(calls).toBe(3);
    expect(callsOf(ic, "DeleteAccountAssignment")).toHaveLength(0);
    const again = await ac.startDeletion(tuple(target(second)), { intend: async () => Date.now() + 2_000 });
    expect("requestId" in again).toBe(true);
  });
});
