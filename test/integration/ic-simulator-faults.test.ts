import {
  InternalServerException,
  ListInstancesCommand,
  ThrottlingException,
} from "@aws-sdk/client-sso-admin";
import { describe, expect, it } from "vitest";
import { IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";
import { icClients } from "../support/ic.js";
import { seededSimulatorForEachTest } from "../support/ic-simulator-fixtures.js";

const { ic } = seededSimulatorForEachTest();

describe("IdentityCenterSimulator", () => {
  it("answers throttling as HTTP 400 with __type and x-amzn-ErrorType", async () => {
    ic.sim.setFaults({ throttleShare: 1 });

    const res = await fetch(ic.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "SWBExternalService.ListInstances",
      },
      body: "{}",
    });

    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("ThrottlingException");
    expect(await res.json()).toEqual({
      __type: "com.amazonaws.ssoadmin#ThrottlingException",
      Message: "Rate exceeded",
    });
  });

  it("is read by the SDK as a ThrottlingException, which the SDK's own retry strategy retries", async () => {
    ic.sim.setFaults({ throttleShare: 1 });
    const retrying = icClients(ic.endpoint, { maxAttempts: 2 });
    try {
      const call = retrying.ssoAdmin.send(new ListInstancesCommand({}));

      await expect(call).rejects.toBeInstanceOf(ThrottlingException);
      await expect(call).rejects.toMatchObject({
        message: "Rate exceeded",
        $fault: "client",
        $metadata: { httpStatusCode: 400, attempts: 2 },
      });
      expect(ic.sim.calls()).toHaveLength(2);
    } finally {
      retrying.ssoAdmin.destroy();
      retrying.identityStore.destroy();
    }
  });

  it("answers injected server errors as InternalServerException with HTTP 500", async () => {
    ic.sim.setFaults({ failOperations: ["ListInstances"] });

    const call = ic.ssoAdmin.send(new ListInstancesCommand({}));

    await expect(call).rejects.toBeInstanceOf(InternalServerException);
    await expect(call).rejects.toMatchObject({ $fault: "server", $metadata: { httpStatusCode: 500 } });
  });
  it("throttles SSO Admin calls beyond requestsPerSecond within a sliding second", () => {
    let now = 0;
    const sim = new IdentityCenterSimulator({ now: () => now, faults: { requestsPerSecond: 2 } });
    const statuses = [0, 100, 200, 1_000, 1_100].map((at) => {
      now = at;
      return sim.handle("SWBExternalService.ListInstances", {}).status;
    });

    expect(statuses).toEqual([200, 200, 400, 200, 200]);
    expect(sim.stats()).toMatchObject({ ssoAdminCalls: 5, throttled: { rate: 1 } });
    expect(sim.calls()[2]?.outcome).toBe("ThrottlingException");
  });

  it("throttles the same calls for the same seed", () => {
    const outcomes = () => {
      const sim = new IdentityCenterSimulator({ faults: { throttleShare: 0.5, seed: 42 } });
      return Array.from({ length: 40 }, () => sim.handle("SWBExternalService.ListInstances", {}).status);
    };

    const first = outcomes();

    expect(outcomes()).toEqual(first);
    expect(first).toContain(400);
    expect(first).toContain(200);
  });

  it("counts SSO Admin calls in a one-second sliding window", () => {
    let now = 0;
    const sim = new IdentityCenterSimulator({ now: () => now });
    for (const at of [0, 300, 600, 900, 1_000, 1_250, 2_500]) {
      now = at;
      sim.handle("SWBExternalService.ListInstances", {});
    }
    sim.handle("AWSIdentityStore.GetUserId", {});

    expect(sim.stats()).toMatchObject({ calls: 8, ssoAdminCalls: 7, maxSsoAdminCallsPerSecond: 5 });
  });
});
