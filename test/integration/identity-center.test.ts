import { CreateAccountAssignmentCommand } from "@aws-sdk/client-sso-admin";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  IdentityCenterAdapter,
  type IdentityCenterAdapterOptions,
  InstanceNotFound,
} from "../../src/adapters/identity-center/index.js";
import { AssignmentFailed, UnsafeDeletion } from "../../src/domain/errors.js";
import type { AssignmentTarget, AssignmentTuple } from "../../src/domain/grant.js";
import {
  DEFAULT_INSTANCE,
  type SimPermissionSet,
  type SimUser,
} from "../../src/sim/identity-center/index.js";
import { type RunningSimulator, recordingLogger, startSimulator } from "../support/ic.js";

const PROD = "222222222222";

let ic: RunningSimulator;
let alice: SimUser;
let readOnly: SimPermissionSet;
let admin: SimPermissionSet;

beforeEach(async () => {
  ic = await startSimulator();
  ic.sim.addAccount({ id: PROD, name: "Production" });
  readOnly = ic.sim.addPermissionSet({ name: "ReadOnly" });
  admin = ic.sim.addPermissionSet({ name: "AdministratorAccess" });
  alice = ic.sim.addUser({ userName: "alice", emails: ["alice@example.com"], displayName: "Alice" });
});

afterEach(async () => {
  await ic.close();
});

/** An adapter with small backoffs and a deterministic jitter, over the real SDK clients. */
function adapter(overrides: Partial<IdentityCenterAdapterOptions> = {}): IdentityCenterAdapter {
  return new IdentityCenterAdapter({
    ssoAdmin: ic.ssoAdmin,
    identityStore: ic.identityStore,
    random: () => 0.5,
    poll: { initialMs: 5, maxMs: 20, timeoutMs: 10_000 },
    retry: { maxAttempts: 12, baseMs: 4, maxMs: 40 },
    ...overrides,
  });
}

function target(user: SimUser, ps = readOnly): AssignmentTarget {
  return { userId: user.id, accountId: PROD, permissionSetArn: ps.arn };
}

function tuple(t: AssignmentTarget, overrides: Partial<AssignmentTuple> = {}): AssignmentTuple {
  return { target: t, state: "deleting", holders: [], preExisting: false, version: 3, ...overrides };
}

function userAssignment(t: AssignmentTarget) {
  return {
    principalType: "USER" as const,
    principalId: t.userId,
    accountId: t.accountId,
    permissionSetArn: t.permissionSetArn,
  };
}

describe("IdentityCenterAdapter", () => {
  it("creates a user assignment and returns once Identity Center reports SUCCEEDED", async () => {
    const outcome = await adapter().createAssignment(target(alice));

    expect(outcome.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ic.sim.assignments()).toContainEqual(userAssignment(target(alice)));
    const operations = ic.sim.calls().map((c) => c.operation);
    expect(operations).toContain("DescribeAccountAssignmentCreationStatus");
  });

  it("creates the assignment although half of all calls are throttled", async () => {
    ic.sim.setFaults({ throttleShare: 0.5, seed: 7 });

    await adapter().createAssignment(target(alice));

    expect(ic.sim.assignments()).toContainEqual(userAssignment(target(alice)));
    expect(ic.sim.calls().some((c) => c.outcome === "ThrottlingException")).toBe(true);
  });

  it("reports a FAILED creation with Identity Center's reason", async () => {
    const reason = "Received a 404 status error: Not supported policy arn:aws:iam::aws:policy/Gone";
    ic.sim.setFaults({
      failTuples: [{ principalId: alice.id, accountId: PROD, permissionSetArn: readOnly.arn, reason }],
    });

    const created = adapter().createAssignment(target(alice));

    await expect(created).rejects.toThrow(AssignmentFailed);
    await expect(created).rejects.toThrow(reason);
    expect(ic.sim.assignments()).toEqual([]);
  });

  it("retries a ConflictException while the same assignment is in flight and then succeeds", async () => {
    ic.sim.setFaults({ delayMs: 60 });
    await ic.ssoAdmin.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: DEFAULT_INSTANCE.instanceArn,
        TargetId: PROD,
        TargetType: "AWS_ACCOUNT",
        PermissionSetArn: readOnly.arn,
        PrincipalType: "USER",
        PrincipalId: alice.id,
      }),
    );

    await adapter({ retry: { maxAttempts: 20, baseMs: 10, maxMs: 40 } }).createAssignment(target(alice));

    const creates = ic.sim.calls().filter((c) => c.operation === "CreateAccountAssignment");
    expect(creates.map((c) => c.outcome)).toContain("ConflictException");
    expect(creates.at(-1)?.outcome).toBe("ok");
    expect(ic.sim.assignments()).toEqual([userAssignment(target(alice))]);
  });

  it("gives up with AssignmentFailed saying retries are exhausted when every call is throttled", async () => {
    ic.sim.setFaults({ throttleShare: 1 });
    const ac = adapter({
      instanceArn: DEFAULT_INSTANCE.instanceArn,
      identityStoreId: DEFAULT_INSTANCE.identityStoreId,
    });

    const created = ac.createAssignment(target(alice));

    await expect(created).rejects.toThrow(AssignmentFailed);
    await expect(created).rejects.toThrow(/retries exhausted/);
    expect(ic.sim.calls()).toHaveLength(12);
  });

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

  it("uses the configured instance without ListInstances and reports an unknown one clearly", async () => {
    const configured = adapter({
      instanceArn: DEFAULT_INSTANCE.instanceArn,
      identityStoreId: DEFAULT_INSTANCE.identityStoreId,
    });
    await configured.assignmentExists(target(alice));
    expect(ic.sim.calls().map((c) => c.operation)).not.toContain("ListInstances");

    const unknown = adapter({ instanceArn: "arn:aws:sso:::instance/ssoins-0000000000000000" });
    await expect(unknown.assignmentExists(target(alice))).rejects.toThrow(InstanceNotFound);
  });

  it("finds a user by email case-insensitively through the lower-case retry and caches the answer", async () => {
    const ac = adapter();

    expect(await ac.userIdByEmail("Alice@Example.COM")).toBe(alice.id);
    const lookups = ic.sim.calls().filter((c) => c.operation === "GetUserId");
    expect(lookups.map((c) => c.outcome)).toEqual(["ResourceNotFoundException", "ok"]);

    const before = ic.sim.calls().length;
    expect(await ac.userIdByEmail("Alice@Example.COM")).toBe(alice.id);
    expect(ic.sim.calls()).toHaveLength(before);
  });

  it("answers undefined for an unknown email and caches that too", async () => {
    const ac = adapter();

    expect(await ac.userIdByEmail("nobody@example.com")).toBeUndefined();
    expect(await ac.userIdByEmail("nobody@example.com")).toBeUndefined();

    expect(ic.sim.calls().filter((c) => c.operation === "GetUserId")).toHaveLength(1);
  });

  it("asks Identity Center again once a cached answer expires, sooner for unknown users", async () => {
    let now = 0;
    const ac = adapter({ clock: { now: () => now }, cacheTtlMs: 60_000, negativeCacheTtlMs: 5_000 });
    const lookups = () => ic.sim.calls().filter((c) => c.operation === "GetUserId").length;
    await ac.userIdByEmail("alice@example.com");
    await ac.userIdByEmail("nobody@example.com");
    expect(lookups()).toBe(2);

    now = 5_000;
    await ac.userIdByEmail("alice@example.com");
    await ac.userIdByEmail("nobody@example.com");
    expect(lookups()).toBe(3);

    now = 60_000;
    await ac.userIdByEmail("alice@example.com");
    expect(lookups()).toBe(4);
  });

  it("returns the named groups the user belongs to, skips unknown ones once, and caches", async () => {
    const engineers = ic.sim.addGroup({ displayName: "Engineers" });
    ic.sim.addGroup({ displayName: "Organization Administrators" });
    ic.sim.addMember(engineers.id, alice.id);
    const logger = recordingLogger();
    const ac = adapter({ logger });
    const names = ["Engineers", "Organization Administrators", "Ghosts"];

    expect(await ac.groupsOf(alice.id, names)).toEqual(["Engineers"]);
    const before = ic.sim.calls().length;
    expect(await ac.groupsOf(alice.id, names)).toEqual(["Engineers"]);

    expect(ic.sim.calls()).toHaveLength(before);
    expect(ic.sim.calls().filter((c) => c.operation === "IsMemberInGroups")).toHaveLength(1);
    expect(logger.lines.filter((l) => l.msg.includes("group not found"))).toHaveLength(1);
  });

  it("keeps 200 simultaneous creations under 15 outstanding and 20 calls in any second", async () => {
    ic.sim.setFaults({ delayMs: 1_500, requestsPerSecond: 20, maxOutstanding: 15 });
    const users = Array.from({ length: 200 }, (_, i) =>
      ic.sim.addUser({ userName: `bulk${i}`, emails: [`bulk${i}@example.com`] }),
    );
    const ac = adapter({
      instanceArn: DEFAULT_INSTANCE.instanceArn,
      identityStoreId: DEFAULT_INSTANCE.identityStoreId,
      poll: { initialMs: 1_500, maxMs: 1_500, timeoutMs: 120_000 },
    });

    await Promise.all(users.map((u) => ac.createAssignment(target(u))));

    expect(ic.sim.assignments()).toHaveLength(200);
    const stats = ic.sim.stats();
    expect(stats.maxOutstandingCreations).toBeLessThanOrEqual(15);
    expect(stats.maxSsoAdminCallsPerSecond).toBeLessThanOrEqual(20);
    expect(stats.throttled).toEqual({ injected: 0, rate: 0, outstanding: 0 });
  }, 120_000);
});
