import { afterEach, describe, expect, it } from "vitest";
import type { Grant } from "../../src/domain/grant.js";
import { seedActiveGrants } from "../support/active-grants.js";
import type { ProxyRule } from "../support/dynamo-proxy.js";
import { waitFor } from "../support/e2e.js";
import { startedForFile } from "../support/hooks.js";
import { ServeRig } from "../support/serve-rig.js";

/**
 * The real `serve` process killed with SIGKILL at each crash point of a revocation, then started again: exactly
 * one DeleteAccountAssignment is accepted and the grant ends.
 */
describe("a server killed at each crash point of a revocation", () => {
  const rig = startedForFile(new ServeRig("crash", { throughProxy: true }));
  const { sim } = rig;

  /** Each test starts from no server: the one a test restarted must not drive the next test's grant. */
  afterEach(() => rig.killAll());

  /** Deletions Identity Center accepted for a grant's assignment. */
  function deletionsOf(grant: Grant) {
    return sim
      .calls()
      .filter(
        (c) =>
          c.operation === "DeleteAccountAssignment" &&
          c.outcome === "ok" &&
          (c.input as { PrincipalId?: string }).PrincipalId === grant.requester.userId,
      );
  }

  async function ended(grant: Grant): Promise<Grant> {
    return waitFor(
      "the grant to end after the restart",
      async () => {
        const now = await rig.store.get(grant.id);
        return now?.status === "ended" ? now : undefined;
      },
      60_000,
    );
  }

  function assignmentOf(grant: Grant) {
    return sim.assignments().filter((a) => a.principalId === grant.requester.userId);
  }

  /** Kills the server when a DynamoDB request matching `rule` arrives, never lets it through, starts it again. */
  async function crashAt(rule: Omit<ProxyRule, "action">): Promise<Grant> {
    const child = await rig.serve();
    const held = rig.proxy.when({ ...rule, action: "hang" });
    const [grant] = await seedActiveGrants(rig.store, sim, 1, Date.now() + 1_000);
    if (!grant) throw new Error("no grant");
    const request = await held;
    await rig.kill(child);
    request.drop();
    await rig.serve();
    return grant;
  }

  it("sends one deletion when killed after its claim, before DeleteAccountAssignment", async () => {
    const grant = await crashAt({ operation: "TransactWriteItems", containing: '"kind":{"S":"deletion"}' });
    expect((await ended(grant)).status).toBe("ended");
    expect(deletionsOf(grant)).toHaveLength(1);
    expect(assignmentOf(grant)).toEqual([]);
  }, 120_000);

  it("sends one deletion when killed after DeleteAccountAssignment was accepted", async () => {
    const child = await rig.serve();
    sim.setFaults({ hangOperations: ["DeleteAccountAssignment"], delayMs: 4_000 });
    const [grant] = await seedActiveGrants(rig.store, sim, 1, Date.now() + 1_000);
    if (!grant) throw new Error("no grant");
    await waitFor("the deletion to be accepted", () => deletionsOf(grant).length > 0, 20_000);
    await rig.kill(child);
    sim.setFaults({ hangOperations: [] });
    await rig.serve();
    expect((await ended(grant)).status).toBe("ended");
    sim.setFaults({ delayMs: 20 });
    expect(deletionsOf(grant)).toHaveLength(1);
    expect(assignmentOf(grant)).toEqual([]);
  }, 120_000);

  it("sends one deletion when killed after SUCCEEDED, before the grant was written ended", async () => {
    const grant = await crashAt({ operation: "TransactWriteItems", containing: '"status":{"S":"ended"}' });
    expect((await ended(grant)).status).toBe("ended");
    expect(deletionsOf(grant)).toHaveLength(1);
    expect(assignmentOf(grant)).toEqual([]);
  }, 120_000);
});
