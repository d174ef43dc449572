import { describe, expect, it } from "vitest";
import type { OperationOutcome } from "../../src/app/ports.js";
import { DEFAULT_INSTANCE, type SimUser } from "../../src/sim/identity-center/index.js";
import { userAssignment } from "../support/ic.js";
import { identityCenterForEachTest, later, tuple } from "../support/identity-center-fixtures.js";

const { ic, adapter, target, users } = identityCenterForEachTest();

describe("IdentityCenterAdapter under Identity Center's quotas", () => {
  it("keeps 200 concurrent creations and deletions under 15 outstanding and 20 calls in any second", async () => {
    ic.sim.setFaults({ delayRangeMs: [500, 1_500], seed: 11, requestsPerSecond: 20, maxOutstanding: 15 });
    const joiners = users(100, "joiner");
    const leavers = users(100, "leaver");
    for (const u of leavers) ic.sim.addAssignment(userAssignment(target(u)));
    const ac = adapter({
      ...DEFAULT_INSTANCE,
      poll: { initialMs: 500, maxMs: 1_500, tickMs: 500, timeoutMs: 120_000 },
    });
    const finished: Array<{ kind: string; at: number }> = [];
    const create = async (u: SimUser): Promise<OperationOutcome> => {
      const { requestId } = await ac.startCreation(target(u));
      const outcome = await ac.awaitOperation("creation", requestId, later() + 110_000);
      finished.push({ kind: "creation", at: Date.now() });
      return outcome;
    };
    const remove = async (u: SimUser): Promise<OperationOutcome | { gone: true }> => {
      const started = await ac.startDeletion(tuple(target(u)));
      if ("gone" in started) return started;
      const outcome = await ac.awaitOperation("deletion", started.requestId, later() + 110_000);
      finished.push({ kind: "deletion", at: Date.now() });
      return outcome;
    };

    const outcomes = await Promise.all([...joiners.map(create), ...leavers.map(remove)]);

    expect(outcomes.filter((o) => "status" in o && o.status === "succeeded")).toHaveLength(200);
    const stats = ic.sim.stats();
    console.info(`200 operations: ${JSON.stringify(stats)}`);
    expect(stats.maxOutstandingOperations).toBeLessThanOrEqual(15);
    expect(stats.maxSsoAdminCallsPerSecond).toBeLessThanOrEqual(20);
    expect(stats.throttled).toEqual({ injected: 0, rate: 0, outstanding: 0 });
    expect(
      ic.sim
        .assignments()
        .map((a) => a.principalId)
        .sort(),
    ).toEqual(joiners.map((u) => u.id).sort());
    const lastDeletion = Math.max(...finished.filter((f) => f.kind === "deletion").map((f) => f.at));
    const lastCreation = Math.max(...finished.filter((f) => f.kind === "creation").map((f) => f.at));
    expect(lastDeletion).toBeLessThan(lastCreation);
  }, 120_000);
});
