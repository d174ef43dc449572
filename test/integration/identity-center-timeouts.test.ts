import { ListInstancesCommand } from "@aws-sdk/client-sso-admin";
import { afterEach, describe, expect, it } from "vitest";
import { IdentityCenterAdapter, RetriesExhausted } from "../../src/adapters/identity-center/index.js";
import { identityCenterClients, SDK_TIMEOUTS } from "../../src/entrypoints/identity-center.js";
import { DEFAULT_INSTANCE } from "../../src/sim/identity-center/index.js";
import { callsOf } from "../support/ic.js";
import { identityCenterForEachTest, targetOf } from "../support/identity-center-fixtures.js";

const { ic, alice, readOnly } = identityCenterForEachTest();
const closers: Array<() => void> = [];

afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function clients(timeouts?: { connectionTimeout: number; requestTimeout: number }) {
  const built = identityCenterClients({
    endpoint: ic.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDSIMULATOR", secretAccessKey: "simulator-secret" },
    ...(timeouts ? { timeouts } : {}),
  });
  closers.push(() => {
    built.ssoAdmin.destroy();
    built.identityStore.destroy();
  });
  return built;
}

describe("Identity Center SDK clients", () => {
  it("are built with request and connection timeouts and without retries of their own", async () => {
    const { ssoAdmin } = clients();
    await ssoAdmin.send(new ListInstancesCommand({}));
    const handler = ssoAdmin.config.requestHandler as unknown as { httpHandlerConfigs(): object };

    expect(await ssoAdmin.config.maxAttempts()).toBe(1);
    expect(handler.httpHandlerConfigs()).toMatchObject({ ...SDK_TIMEOUTS, throwOnRequestTimeout: true });
  });

  it("end a call Identity Center never answers with a TimeoutError, which the adapter retries and then reports", async () => {
    ic.sim.setFaults({ hangOperations: ["ListAccountAssignments"] });
    const adapter = new IdentityCenterAdapter({
      ...clients({ connectionTimeout: 200, requestTimeout: 200 }),
      ...DEFAULT_INSTANCE,
      retry: { maxAttempts: 2, baseMs: 1, maxMs: 1 },
    });

    const asked = adapter.assignmentExists(targetOf(alice, readOnly), "revoke");

    await expect(asked).rejects.toBeInstanceOf(RetriesExhausted);
    await expect(asked).rejects.toMatchObject({ retryable: true, cause: { name: "TimeoutError" } });
    expect(callsOf(ic, "ListAccountAssignments")).toHaveLength(2);
  });
});

describe("a Create or Delete that gets no answer", () => {
  function unansweredOnce(operation: string) {
    ic.sim.setFaults({ hangOperations: [operation] });
    // The call is handled (its effect happens) but its answer never comes; the next one is answered.
    const lift = setInterval(() => {
      if (callsOf(ic, operation).length > 0) {
        ic.sim.setFaults({ hangOperations: [] });
        clearInterval(lift);
      }
    }, 5);
    closers.push(() => clearInterval(lift));
  }

  const adapter = () =>
    new IdentityCenterAdapter({
      ...clients({ connectionTimeout: 300, requestTimeout: 300 }),
      ...DEFAULT_INSTANCE,
      retry: { maxAttempts: 4, baseMs: 1, maxMs: 1 },
    });

  it("makes no second deletion when the one it made has already ended: Identity Center finds nothing to delete", async () => {
    const target = targetOf(alice, readOnly);
    ic.sim.addAssignment({ principalType: "USER", principalId: target.userId, ...target });
    // As documented for DeleteAccountAssignment: ResourceNotFoundException for an assignment that is not there.
    ic.sim.setFaults({ delayMs: 20, missingDeletion: "not-found" });
    unansweredOnce("DeleteAccountAssignment");

    const started = await adapter().startDeletion({
      target,
      state: "deleting",
      holders: [],
      preExisting: false,
      version: 3,
    });

    expect(started).toEqual({ gone: true });
    expect(callsOf(ic, "DeleteAccountAssignment", "ok")).toHaveLength(1);
    expect(ic.sim.assignments()).toEqual([]);
  });

  it("is not sent again while the deletion it made is in progress: that request is awaited", async () => {
    const target = targetOf(alice, readOnly);
    ic.sim.addAssignment({ principalType: "USER", principalId: target.userId, ...target });
    ic.sim.setFaults({ delayMs: 5_000 });
    unansweredOnce("DeleteAccountAssignment");
    const ac = adapter();

    const started = await ac.startDeletion({
      target,
      state: "deleting",
      holders: [],
      preExisting: false,
      version: 3,
    });

    expect(started).toMatchObject({ requestId: expect.any(String) });
    expect(callsOf(ic, "DeleteAccountAssignment")).toHaveLength(1);
  });

  it("looks for the operation once, with one attempt, however long Identity Center stays silent", async () => {
    const target = targetOf(alice, readOnly);
    ic.sim.addAssignment({ principalType: "USER", principalId: target.userId, ...target });
    ic.sim.setFaults({ hangOperations: ["*"] });

    await expect(
      adapter().startDeletion({ target, state: "deleting", holders: [], preExisting: false, version: 3 }),
    ).rejects.toBeInstanceOf(RetriesExhausted);

    expect(callsOf(ic, "DeleteAccountAssignment")).toHaveLength(4);
    expect(callsOf(ic, "ListAccountAssignmentDeletionStatus")).toHaveLength(1);
    expect(callsOf(ic, "ListAccountAssignments")).toHaveLength(0);
  });

  it("is not sent again while the creation it made is in progress", async () => {
    const target = targetOf(alice, readOnly);
    ic.sim.setFaults({ delayMs: 5_000 });
    unansweredOnce("CreateAccountAssignment");

    const started = await adapter().startCreation(target);

    expect(started).toMatchObject({ requestId: expect.any(String) });
    expect(callsOf(ic, "CreateAccountAssignment")).toHaveLength(1);
  });
});
