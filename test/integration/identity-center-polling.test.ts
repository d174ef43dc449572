import { CreateAccountAssignmentCommand } from "@aws-sdk/client-sso-admin";
import { describe, expect, it } from "vitest";
import type { AssignmentTarget } from "../../src/domain/grant.js";
import { DEFAULT_INSTANCE, type SimUser } from "../../src/sim/identity-center/index.js";
import { assignmentInput, callsOf, userAssignment } from "../support/ic.js";
import { identityCenterForEachTest, later, tuple } from "../support/identity-center-fixtures.js";

const { ic, alice, adapter, target, users } = identityCenterForEachTest();
const stuck = (t: AssignmentTarget) => ({
  principalId: t.userId,
  accountId: t.accountId,
  permissionSetArn: t.permissionSetArn,
});

describe("IdentityCenterAdapter polling", () => {
  it("returns in-progress at the deadline for a stuck creation, and a later await resolves it without a second Create", async () => {
    ic.sim.setFaults({ stuckTuples: [stuck(target(alice))] });
    const ac = adapter();
    const { requestId } = await ac.startCreation(target(alice));

    expect(await ac.awaitOperation("creation", requestId, Date.now() + 100)).toEqual({
      status: "in-progress",
      requestId,
    });
    ic.sim.setFaults({ stuckTuples: [] });

    expect(await ac.awaitOperation("creation", requestId, later())).toEqual({
      status: "succeeded",
      requestId,
    });
    expect(callsOf(ic, "CreateAccountAssignment")).toHaveLength(1);
    expect(ic.sim.assignments()).toEqual([userAssignment(target(alice))]);
  });

  it("gives the outstanding slot back when an await ends in progress, so the next operation can start", async () => {
    const bob = ic.sim.addUser({ userName: "bob", emails: ["bob@x.test"] });
    ic.sim.setFaults({ stuckTuples: [stuck(target(alice))] });
    const ac = adapter({ limits: { maxOutstanding: 1, reservedOps: 0 } });
    const first = await ac.startCreation(target(alice));
    await ac.awaitOperation("creation", first.requestId, Date.now() + 50);

    const second = await ac.startCreation(target(bob));

    expect(await ac.awaitOperation("creation", second.requestId, later())).toMatchObject({
      status: "succeeded",
    });
  });

  it("counts a request another process sent against its outstanding slots while it awaits it", async () => {
    const bob = ic.sim.addUser({ userName: "bob", emails: ["bob@x.test"] });
    ic.sim.setFaults({ stuckTuples: [stuck(target(alice))] });
    const inherited = await ic.ssoAdmin.send(new CreateAccountAssignmentCommand(assignmentInput(alice.id)));
    const ac = adapter({ limits: { maxOutstanding: 1, reservedOps: 0 } });
    const awaited = ac.awaitOperation(
      "creation",
      inherited.AccountAssignmentCreationStatus?.RequestId ?? "",
      later(),
    );
    const next = ac.startCreation(target(bob));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const landedAt = Date.now();
    ic.sim.setFaults({ stuckTuples: [] });

    expect(await awaited).toMatchObject({ status: "succeeded" });
    await next;
    const creations = callsOf(ic, "CreateAccountAssignment");
    expect(creations).toHaveLength(2);
    expect(creations[1]?.at).toBeGreaterThanOrEqual(landedAt);
  });

  it("finds the creation a crashed process left in progress, and nothing for a target without one", async () => {
    const [bob, carol] = users(2, "other") as [SimUser, SimUser];
    ic.sim.setFaults({ stuckTuples: [stuck(target(alice)), stuck(target(bob))] });
    const send = (user: SimUser) =>
      ic.ssoAdmin.send(new CreateAccountAssignmentCommand(assignmentInput(user.id)));
    await send(bob);
    const lost = await send(alice);
    const restarted = adapter();

    expect(await restarted.findInProgress("creation", target(alice))).toBe(
      lost.AccountAssignmentCreationStatus?.RequestId,
    );
    expect(await restarted.findInProgress("creation", target(carol))).toBeUndefined();
    expect(await restarted.findInProgress("deletion", target(alice))).toBeUndefined();
  });

  it("polls 30 concurrent deletions with one List per tick and one Describe per deletion", async () => {
    const people = users(30, "leaver");
    for (const p of people) ic.sim.addAssignment(userAssignment(target(p)));
    ic.sim.setFaults({ delayRangeMs: [300, 900], seed: 3 });
    const ac = adapter({ poll: { initialMs: 300, maxMs: 1_000, tickMs: 300, timeoutMs: 60_000 } });

    const outcomes = await Promise.all(
      people.map(async (p) => {
        const started = await ac.startDeletion(tuple(target(p)));
        if ("gone" in started) throw new Error("expected a deletion request");
        return ac.awaitOperation("deletion", started.requestId, later());
      }),
    );

    expect(outcomes.every((o) => o.status === "succeeded")).toBe(true);
    const describes = callsOf(ic, "DescribeAccountAssignmentDeletionStatus").length;
    const lists = callsOf(ic, "ListAccountAssignmentDeletionStatus").length;
    console.info(`30 deletions: ${lists} List…Status + ${describes} Describe…Status calls`);
    expect(describes).toBeLessThanOrEqual(30 + 4);
    expect(lists + describes).toBeLessThan(2 * 30);
    expect(ic.sim.assignments()).toEqual([]);
  }, 30_000);

  it("spends at most 8 SSO Admin calls on a grant lifecycle whose operations take 1 to 3 s", async () => {
    ic.sim.setFaults({ delayRangeMs: [2_500, 3_000], seed: 5 });
    const ac = adapter({ poll: {}, ...DEFAULT_INSTANCE });

    const preExisting = await ac.assignmentExists(target(alice), "grant");
    const created = await ac.startCreation(target(alice));
    await ac.awaitOperation("creation", created.requestId, later());
    const deleting = await ac.startDeletion(tuple(target(alice), { preExisting }));
    if ("gone" in deleting) throw new Error("expected a deletion request");
    const outcome = await ac.awaitOperation("deletion", deleting.requestId, later());

    expect(outcome.status).toBe("succeeded");
    const byOperation = ic.sim.stats().byOperation;
    console.info(`one lifecycle, operations of 2.5–3 s: ${JSON.stringify(byOperation)}`);
    expect(ic.sim.stats().ssoAdminCalls).toBeLessThanOrEqual(8);
    expect(byOperation).toMatchObject({ CreateAccountAssignment: 1, DeleteAccountAssignment: 1 });
  }, 20_000);
});
