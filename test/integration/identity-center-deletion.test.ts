import { describe, expect, it } from "vitest";
import { guardUserOnly } from "../../src/adapters/identity-center/index.js";
import { AssignmentRefused } from "../../src/app/errors.js";
import { UnsafeDeletion } from "../../src/domain/errors.js";
import type { AssignmentTuple } from "../../src/domain/grant.js";
import { DEFAULT_INSTANCE } from "../../src/sim/identity-center/index.js";
import { PROD } from "../support/example-config.js";
import { callsOf, userAssignment } from "../support/ic.js";
import { identityCenterForEachTest, later, tuple } from "../support/identity-center-fixtures.js";

const { ic, alice, readOnly, admin, adapter, target } = identityCenterForEachTest();

describe("IdentityCenterAdapter deletions", () => {
  it("detects a permanent user assignment and refuses to delete a pre-existing tuple without calling AWS", async () => {
    ic.sim.addAssignment(userAssignment(target(alice)));
    const ac = adapter({
      instanceArn: DEFAULT_INSTANCE.instanceArn,
      identityStoreId: DEFAULT_INSTANCE.identityStoreId,
    });
    expect(await ac.assignmentExists(target(alice), "revoke")).toBe(true);
    ic.sim.clearCalls();

    await expect(ac.startDeletion(tuple(target(alice), { preExisting: true }))).rejects.toThrow(
      UnsafeDeletion,
    );

    expect(ic.sim.calls()).toEqual([]);
    expect(ic.sim.assignments()).toEqual([userAssignment(target(alice))]);
  });

  it.each<[string, Partial<AssignmentTuple>]>([
    ["pre-existence was never checked", { preExisting: undefined }],
    ["grants still hold it", { holders: ["g-123"] }],
    ["the tuple is present, not deleting", { state: "present" }],
    ["the tuple is still creating", { state: "creating" }],
  ])("refuses a deletion before any AWS call when %s", async (_, overrides) => {
    ic.sim.addAssignment(userAssignment(target(alice)));

    await expect(adapter().startDeletion(tuple(target(alice), overrides))).rejects.toThrow(UnsafeDeletion);

    expect(ic.sim.calls()).toEqual([]);
    expect(ic.sim.assignments()).toHaveLength(1);
  });

  it("refuses to delete a GROUP assignment at the last guard", () => {
    const groupAssignment = {
      principalType: "GROUP" as const,
      principalId: "g-organization-administrators",
      accountId: PROD,
      permissionSetArn: admin.arn,
    };

    expect(() => guardUserOnly(groupAssignment)).toThrow(UnsafeDeletion);
    expect(() => guardUserOnly({ ...groupAssignment, principalType: "USER" })).not.toThrow();
  });

  it("does not count a group assignment as the member's own user assignment", async () => {
    const admins = ic.sim.addGroup({ displayName: "Organization Administrators" });
    ic.sim.addMember(admins.id, alice.id);
    ic.sim.addAssignment({
      principalType: "GROUP",
      principalId: admins.id,
      accountId: PROD,
      permissionSetArn: admin.arn,
    });

    expect(await adapter().assignmentExists(target(alice, admin))).toBe(false);
  });

  it("finds a user assignment on a later page of ListAccountAssignments", async () => {
    for (let i = 0; i < 150; i += 1) {
      const other = ic.sim.addUser({ userName: `user${i}`, emails: [`user${i}@example.com`] });
      ic.sim.addAssignment(userAssignment(target(other)));
    }
    ic.sim.addAssignment(userAssignment(target(alice)));

    expect(await adapter().assignmentExists(target(alice))).toBe(true);
    expect(callsOf(ic, "ListAccountAssignments")).toHaveLength(2);
  });

  it("deletes an assignment the bot created once no grant holds it", async () => {
    ic.sim.addAssignment(userAssignment(target(alice)));
    const ac = adapter();

    const started = await ac.startDeletion(tuple(target(alice)));
    if ("gone" in started) throw new Error("expected a deletion request");
    const outcome = await ac.awaitOperation("deletion", started.requestId, later());

    expect(outcome).toEqual({ status: "succeeded", requestId: started.requestId });
    expect(ic.sim.assignments()).toEqual([]);
    expect(callsOf(ic, "DeleteAccountAssignment")).toHaveLength(1);
  });

  it("answers gone when DeleteAccountAssignment says ResourceNotFound and the assignment is not listed", async () => {
    ic.sim.setFaults({ missingDeletion: "not-found" });

    expect(await adapter().startDeletion(tuple(target(alice)))).toEqual({ gone: true });

    expect(ic.sim.calls().map((c) => [c.operation, c.outcome])).toEqual([
      ["ListInstances", "ok"],
      ["DeleteAccountAssignment", "ResourceNotFoundException"],
      ["ListAccountAssignments", "ok"],
    ]);
  });

  it("refuses when DeleteAccountAssignment says ResourceNotFound but the assignment is still listed", async () => {
    ic.sim.addAssignment(userAssignment(target(alice)));
    ic.sim.setFaults({
      refusals: [{ operation: "DeleteAccountAssignment", error: "ResourceNotFoundException" }],
    });

    const started = adapter().startDeletion(tuple(target(alice)));

    await expect(started).rejects.toBeInstanceOf(AssignmentRefused);
    await expect(started).rejects.toMatchObject({ kind: "not-found", operation: "DeleteAccountAssignment" });
    expect(callsOf(ic, "DeleteAccountAssignment")).toHaveLength(1);
    expect(ic.sim.assignments()).toEqual([userAssignment(target(alice))]);
  });

  it("refuses an AccessDenied deletion after exactly one call", async () => {
    ic.sim.addAssignment(userAssignment(target(alice)));
    ic.sim.setFaults({
      refusals: [{ operation: "DeleteAccountAssignment", error: "AccessDeniedException" }],
    });

    await expect(adapter().startDeletion(tuple(target(alice)))).rejects.toMatchObject({
      name: "AssignmentRefused",
      kind: "access-denied",
    });

    expect(callsOf(ic, "DeleteAccountAssignment")).toHaveLength(1);
  });

  it("returns a FAILED deletion as failed, leaving the assignment in place", async () => {
    ic.sim.addAssignment(userAssignment(target(alice)));
    const reason = "An internal error occurred while deleting the role";
    ic.sim.setFaults({
      failTuples: [
        { principalId: alice.id, accountId: PROD, permissionSetArn: readOnly.arn, kind: "deletion", reason },
      ],
    });
    const ac = adapter();

    const started = await ac.startDeletion(tuple(target(alice)));
    if ("gone" in started) throw new Error("expected a deletion request");

    expect(await ac.awaitOperation("deletion", started.requestId, later())).toEqual({
      status: "failed",
      requestId: started.requestId,
      reason,
    });
    expect(ic.sim.assignments()).toEqual([userAssignment(target(alice))]);
  });

  it("returns the deletion of an assignment that is already gone as failed when Identity Center accepts it", async () => {
    const ac = adapter();

    const started = await ac.startDeletion(tuple(target(alice)));
    if ("gone" in started) throw new Error("expected a deletion request");

    expect(await ac.awaitOperation("deletion", started.requestId, later())).toMatchObject({
      status: "failed",
      reason: "The account assignment does not exist",
    });
  });
});
