import {
  AccessDeniedException,
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  ListInstancesCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-sso-admin";
import { describe, expect, it, vi } from "vitest";
import { IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";
import { PROD } from "../support/example-config.js";
import { assignmentInput, icClients } from "../support/ic.js";
import { InstanceArn, seededSimulatorForEachTest } from "../support/ic-simulator-fixtures.js";

const { ic, alice, psArn } = seededSimulatorForEachTest();

const create = (principalId: string) =>
  ic.ssoAdmin.send(new CreateAccountAssignmentCommand(assignmentInput(principalId)));
const tupleOf = (principalId: string) => ({ principalId, accountId: PROD, permissionSetArn: psArn });

describe("IdentityCenterSimulator misbehaving like Identity Center", () => {
  it("keeps each operation IN_PROGRESS for a seeded random time within the range", () => {
    const durations = () => {
      const sim = new IdentityCenterSimulator({ faults: { delayRangeMs: [1_000, 3_000], seed: 9 } });
      sim.addAccount({ id: PROD });
      const ps = sim.addPermissionSet({ arn: psArn, name: "ReadOnly" });
      const out = Array.from({ length: 20 }, (_, i) => {
        sim.handle("SWBExternalService.CreateAccountAssignment", {
          ...assignmentInput(`u-${i}`),
          PermissionSetArn: ps.arn,
        });
        return sim.operations().at(-1)?.durationMs ?? -1;
      });
      sim.reset();
      return out;
    };

    const first = durations();

    expect(durations()).toEqual(first);
    expect(first.every((d) => d >= 1_000 && d <= 3_000)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(10);
  });

  it("holds operations on stuck tuples IN_PROGRESS until the tuple is released", async () => {
    const bob = ic.sim.addUser({ userName: "bob", emails: ["bob@example.com"] });
    ic.sim.setFaults({ delayMs: 5, stuckTuples: [tupleOf(alice.id)] });
    await create(alice.id);
    await create(bob.id);

    await vi.waitFor(() => expect(ic.sim.assignments().map((a) => a.principalId)).toEqual([bob.id]));
    expect(ic.sim.outstanding()).toBe(1);

    ic.sim.setFaults({ stuckTuples: [] });

    expect(ic.sim.operations().map((op) => op.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  });

  it("refuses the next N calls of an operation with the chosen error, then accepts again", async () => {
    ic.sim.setFaults({
      refusals: [{ operation: "CreateAccountAssignment", error: "AccessDeniedException", times: 2 }],
    });

    await expect(create(alice.id)).rejects.toBeInstanceOf(AccessDeniedException);
    await expect(create(alice.id)).rejects.toBeInstanceOf(AccessDeniedException);
    await create(alice.id);

    expect(ic.sim.calls().map((c) => c.outcome)).toEqual([
      "AccessDeniedException",
      "AccessDeniedException",
      "ok",
    ]);
    expect(ic.sim.snapshot().faults.refusals).toEqual([]);
  });

  it("refuses only the calls naming a chosen tuple", async () => {
    const bob = ic.sim.addUser({ userName: "bob", emails: ["bob@example.com"] });
    ic.sim.setFaults({
      refusals: [
        { operation: "CreateAccountAssignment", error: "ResourceNotFoundException", tuple: tupleOf(bob.id) },
      ],
    });

    await create(alice.id);
    await expect(create(bob.id)).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("ends deletions of chosen tuples FAILED and keeps the assignment", async () => {
    ic.sim.addAssignment({
      principalType: "USER",
      principalId: alice.id,
      accountId: PROD,
      permissionSetArn: psArn,
    });
    ic.sim.setFaults({
      delayMs: 5,
      failTuples: [{ ...tupleOf(alice.id), kind: "deletion", reason: "role in use" }],
    });

    const started = await ic.ssoAdmin.send(new DeleteAccountAssignmentCommand(assignmentInput(alice.id)));

    await vi.waitFor(async () => {
      const out = await ic.ssoAdmin.send(
        new DescribeAccountAssignmentDeletionStatusCommand({
          InstanceArn,
          AccountAssignmentDeletionRequestId: started.AccountAssignmentDeletionStatus?.RequestId,
        }),
      );
      expect(out.AccountAssignmentDeletionStatus).toMatchObject({
        Status: "FAILED",
        FailureReason: "role in use",
      });
    });
    expect(ic.sim.assignments()).toHaveLength(1);
  });

  it("answers ConflictException to a deletion while a deletion of the same assignment is in progress", async () => {
    ic.sim.addAssignment({
      principalType: "USER",
      principalId: alice.id,
      accountId: PROD,
      permissionSetArn: psArn,
    });
    ic.sim.setFaults({ delayMs: 10_000 });
    await ic.ssoAdmin.send(new DeleteAccountAssignmentCommand(assignmentInput(alice.id)));

    await expect(
      ic.ssoAdmin.send(new DeleteAccountAssignmentCommand(assignmentInput(alice.id))),
    ).rejects.toMatchObject({
      name: "ConflictException",
    });
  });

  it("refuses the deletion of a missing assignment with ResourceNotFoundException when told to", async () => {
    ic.sim.setFaults({ missingDeletion: "not-found" });

    await expect(
      ic.ssoAdmin.send(new DeleteAccountAssignmentCommand(assignmentInput(alice.id))),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(ic.sim.operations()).toEqual([]);
  });

  it("handles a delayed call at once and answers it late", async () => {
    ic.sim.setFaults({ answerDelayMs: 300 });
    let answered = false;

    const call = create(alice.id).then(() => (answered = true));
    await vi.waitFor(() => expect(ic.sim.operations()).toHaveLength(1));

    expect(answered).toBe(false);
    await call;
  });

  it("never answers a hung operation, so only the client's timeout ends the call", async () => {
    ic.sim.setFaults({ hangOperations: ["ListInstances"] });
    const impatient = icClients(ic.endpoint, { timeouts: { connectionTimeout: 200, requestTimeout: 200 } });
    try {
      await expect(impatient.ssoAdmin.send(new ListInstancesCommand({}))).rejects.toMatchObject({
        name: "TimeoutError",
      });
      expect(ic.sim.calls().map((c) => c.operation)).toEqual(["ListInstances"]);
    } finally {
      impatient.ssoAdmin.destroy();
      impatient.identityStore.destroy();
    }
  });

  it("counts calls by operation, refused ones included", async () => {
    ic.sim.setFaults({ refusals: [{ operation: "ListInstances", error: "ValidationException", times: 1 }] });
    await expect(ic.ssoAdmin.send(new ListInstancesCommand({}))).rejects.toThrow();
    await ic.ssoAdmin.send(new ListInstancesCommand({}));
    await create(alice.id);

    expect(ic.sim.stats().byOperation).toEqual({ ListInstances: 2, CreateAccountAssignment: 1 });
  });

  it("takes faults over HTTP on POST /_sim/faults", async () => {
    const res = await fetch(`${ic.endpoint}/_sim/faults`, {
      method: "POST",
      body: JSON.stringify({
        refusals: [{ operation: "CreateAccountAssignment", error: "ValidationException" }],
      }),
    });

    expect(await res.json()).toMatchObject({ refusals: [{ error: "ValidationException" }] });
    await expect(create(alice.id)).rejects.toMatchObject({ name: "ValidationException" });
  });
});
