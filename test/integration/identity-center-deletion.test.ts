import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IdentityCenterAdapterOptions } from "../../src/adapters/identity-center/index.js";
import { UnsafeDeletion } from "../../src/domain/errors.js";
import type { AssignmentTuple } from "../../src/domain/grant.js";
import {
  DEFAULT_INSTANCE,
  type SimPermissionSet,
  type SimUser,
} from "../../src/sim/identity-center/index.js";
import type { RunningSimulator } from "../support/ic.js";
import {
  adapterFor,
  PROD,
  startSeededIdentityCenter,
  targetOf,
  tuple,
  userAssignment,
} from "../support/identity-center-fixtures.js";

let ic: RunningSimulator;
let alice: SimUser;
let readOnly: SimPermissionSet;
let admin: SimPermissionSet;

beforeEach(async () => {
  ({ ic, alice, readOnly, admin } = await startSeededIdentityCenter());
});

afterEach(async () => {
  await ic.close();
});

const adapter = (overrides: Partial<IdentityCenterAdapterOptions> = {}) => adapterFor(ic, overrides);
const target = (user: SimUser, ps = readOnly) => targetOf(user, ps);

describe("IdentityCenterAdapter", () => {
  it("detects a permanent user assignment and refuses to delete a pre-existing tuple without calling AWS", async () => {
    ic.sim.addAssignment(userAssignment(target(alice)));
    const ac = adapter({
      instanceArn: DEFAULT_INSTANCE.instanceArn,
      identityStoreId: DEFAULT_INSTANCE.identityStoreId,
    });
    expect(await ac.assignmentExists(target(alice))).toBe(true);
    ic.sim.clearCalls();

    await expect(ac.deleteAssignment(tuple(target(alice), { preExisting: true }))).rejects.toThrow(
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

    await expect(adapter().deleteAssignment(tuple(target(alice), overrides))).rejects.toThrow(UnsafeDeletion);

    expect(ic.sim.calls()).toEqual([]);
    expect(ic.sim.assignments()).toHaveLength(1);
  });

  it("refuses to delete a GROUP assignment before any AWS call", async () => {
    const admins = ic.sim.addGroup({ displayName: "Organization Administrators" });
    const groupAssignment = {
      principalType: "GROUP" as const,
      principalId: admins.id,
      accountId: PROD,
      permissionSetArn: admin.arn,
    };
    ic.sim.addAssignment(groupAssignment);

    await expect(adapter().deleteUserAssignment(groupAssignment)).rejects.toThrow(UnsafeDeletion);

    expect(ic.sim.calls()).toEqual([]);
    expect(ic.sim.assignments()).toEqual([groupAssignment]);
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
    expect(ic.sim.calls().filter((c) => c.operation === "ListAccountAssignments")).toHaveLength(2);
  });

  it("deletes an assignment the bot created once no grant holds it", async () => {
    ic.sim.addAssignment(userAssignment(target(alice)));

    const outcome = await adapter().deleteAssignment(tuple(target(alice)));

    expect(outcome.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ic.sim.assignments()).toEqual([]);
  });

  it("counts the deletion of an assignment that is already gone as done", async () => {
    await adapter().deleteAssignment(tuple(target(alice)));

    const deletions = ic.sim.operations().filter((op) => op.kind === "deletion");
    expect(deletions.map((op) => op.status)).toEqual(["FAILED"]);
    expect(ic.sim.assignments()).toEqual([]);
  });
});
