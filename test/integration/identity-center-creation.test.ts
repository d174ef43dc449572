import { CreateAccountAssignmentCommand, DeleteAccountAssignmentCommand } from "@aws-sdk/client-sso-admin";
import { describe, expect, it } from "vitest";
import { RetriesExhausted } from "../../src/adapters/identity-center/index.js";
import { AssignmentRefused, type RefusalKind } from "../../src/app/errors.js";
import { DEFAULT_INSTANCE, type SimRefusalError } from "../../src/sim/identity-center/index.js";
import { PROD } from "../support/example-config.js";
import { assignmentInput, callsOf, userAssignment } from "../support/ic.js";
import { identityCenterForEachTest, later } from "../support/identity-center-fixtures.js";

const { ic, alice, readOnly, adapter, target } = identityCenterForEachTest();
const configured = {
  instanceArn: DEFAULT_INSTANCE.instanceArn,
  identityStoreId: DEFAULT_INSTANCE.identityStoreId,
};

describe("IdentityCenterAdapter creations", () => {
  it("starts a creation and awaits its SUCCEEDED status", async () => {
    const ac = adapter();

    const { requestId } = await ac.startCreation(target(alice));
    const outcome = await ac.awaitOperation("creation", requestId, later());

    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(outcome).toEqual({ status: "succeeded", requestId });
    expect(ic.sim.assignments()).toContainEqual(userAssignment(target(alice)));
    expect(callsOf(ic, "DescribeAccountAssignmentCreationStatus").length).toBeGreaterThan(0);
  });

  it.each<[SimRefusalError, RefusalKind]>([
    ["AccessDeniedException", "access-denied"],
    ["ValidationException", "invalid"],
    ["ResourceNotFoundException", "not-found"],
    ["ServiceQuotaExceededException", "quota"],
  ])("refuses a creation answered %s after exactly one CreateAccountAssignment", async (error, kind) => {
    ic.sim.setFaults({ refusals: [{ operation: "CreateAccountAssignment", error }] });

    const started = adapter().startCreation(target(alice));

    await expect(started).rejects.toBeInstanceOf(AssignmentRefused);
    await expect(started).rejects.toMatchObject({
      operation: "CreateAccountAssignment",
      kind,
      retryable: false,
    });
    expect(callsOf(ic, "CreateAccountAssignment")).toHaveLength(1);
    expect(ic.sim.operations()).toEqual([]);
    expect(ic.sim.assignments()).toEqual([]);
  });

  it("gives the outstanding slot back when a creation is refused", async () => {
    const ac = adapter({ limits: { maxOutstanding: 1, reservedOps: 0 } });
    ic.sim.setFaults({
      refusals: [{ operation: "CreateAccountAssignment", error: "AccessDeniedException", times: 1 }],
    });
    await expect(ac.startCreation(target(alice))).rejects.toBeInstanceOf(AssignmentRefused);

    const { requestId } = await ac.startCreation(target(alice));

    expect(await ac.awaitOperation("creation", requestId, later())).toMatchObject({ status: "succeeded" });
  });

  it("creates the assignment although half of all calls are throttled", async () => {
    ic.sim.setFaults({ throttleShare: 0.5, seed: 7 });
    const ac = adapter();

    const { requestId } = await ac.startCreation(target(alice));
    await ac.awaitOperation("creation", requestId, later());

    expect(ic.sim.assignments()).toContainEqual(userAssignment(target(alice)));
    expect(ic.sim.calls().some((c) => c.outcome === "ThrottlingException")).toBe(true);
  });

  it("returns a FAILED creation as failed with Identity Center's reason, without throwing", async () => {
    const reason = "Received a 404 status error: Not supported policy arn:aws:iam::aws:policy/Gone";
    ic.sim.setFaults({
      failTuples: [{ principalId: alice.id, accountId: PROD, permissionSetArn: readOnly.arn, reason }],
    });
    const ac = adapter();

    const { requestId } = await ac.startCreation(target(alice));

    expect(await ac.awaitOperation("creation", requestId, later())).toEqual({
      status: "failed",
      requestId,
      reason,
    });
    expect(ic.sim.assignments()).toEqual([]);
  });

  it("takes over the creation already in progress on ConflictException instead of sending another", async () => {
    ic.sim.setFaults({ delayMs: 1_000 });
    const earlier = await ic.ssoAdmin.send(new CreateAccountAssignmentCommand(assignmentInput(alice.id)));
    const ac = adapter();

    const { requestId } = await ac.startCreation(target(alice));

    expect(requestId).toBe(earlier.AccountAssignmentCreationStatus?.RequestId);
    expect(callsOf(ic, "CreateAccountAssignment").map((c) => c.outcome)).toEqual(["ok", "ConflictException"]);
    expect(await ac.awaitOperation("creation", requestId, later())).toMatchObject({ status: "succeeded" });
    expect(ic.sim.operations()).toHaveLength(1);
  });

  it("retries a ConflictException from a deletion of the same assignment and then creates it", async () => {
    ic.sim.addAssignment(userAssignment(target(alice)));
    ic.sim.setFaults({ delayMs: 300 });
    await ic.ssoAdmin.send(new DeleteAccountAssignmentCommand(assignmentInput(alice.id)));
    const ac = adapter({ retry: { maxAttempts: 40, baseMs: 10, maxMs: 100 } });

    const { requestId } = await ac.startCreation(target(alice));
    await ac.awaitOperation("creation", requestId, later());

    const creates = callsOf(ic, "CreateAccountAssignment");
    expect(creates.map((c) => c.outcome)).toContain("ConflictException");
    expect(creates.at(-1)?.outcome).toBe("ok");
    expect(ic.sim.assignments()).toEqual([userAssignment(target(alice))]);
  });

  it("gives up with a retryable RetriesExhausted when every call is throttled", async () => {
    ic.sim.setFaults({ throttleShare: 1 });

    const started = adapter(configured).startCreation(target(alice));

    await expect(started).rejects.toBeInstanceOf(RetriesExhausted);
    await expect(started).rejects.toMatchObject({ retryable: true, service: "Identity Center" });
    expect(ic.sim.calls()).toHaveLength(12);
  });
});
