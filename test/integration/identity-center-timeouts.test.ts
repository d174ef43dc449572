import { ListInstancesCommand } from "@aws-sdk/client-sso-admin";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IdentityCenterAdapter, RetriesExhausted } from "../../src/adapters/identity-center/index.js";
import { identityCenterClients, SDK_TIMEOUTS } from "../../src/entrypoints/identity-center.js";
import {
  DEFAULT_INSTANCE,
  type SimPermissionSet,
  type SimUser,
} from "../../src/sim/identity-center/index.js";
import type { RunningSimulator } from "../support/ic.js";
import { callsOf, startSeededIdentityCenter, targetOf } from "../support/identity-center-fixtures.js";

let ic: RunningSimulator;
let alice: SimUser;
let readOnly: SimPermissionSet;
const closers: Array<() => void> = [];

beforeEach(async () => {
  ({ ic, alice, readOnly } = await startSeededIdentityCenter());
});

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await ic.close();
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
