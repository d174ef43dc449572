import { CreateAccountAssignmentCommand } from "@aws-sdk/client-sso-admin";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IdentityCenterAdapterOptions } from "../../src/adapters/identity-center/index.js";
import { AssignmentFailed } from "../../src/domain/errors.js";
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
  userAssignment,
} from "../support/identity-center-fixtures.js";

let ic: RunningSimulator;
let alice: SimUser;
let readOnly: SimPermissionSet;

beforeEach(async () => {
  ({ ic, alice, readOnly } = await startSeededIdentityCenter());
});

afterEach(async () => {
  await ic.close();
});

const adapter = (overrides: Partial<IdentityCenterAdapterOptions> = {}) => adapterFor(ic, overrides);
const target = (user: SimUser, ps = readOnly) => targetOf(user, ps);

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
    ic.sim.setFaults({ delayMs: 1_000 });
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

    await adapter({ retry: { maxAttempts: 40, baseMs: 10, maxMs: 100 } }).createAssignment(target(alice));

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
