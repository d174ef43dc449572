import { describe, expect, it } from "vitest";
import type { Grant } from "../../src/domain/grant.js";
import type { RevokerResult } from "../../src/entrypoints/lambda/revoker.js";
import { seedActiveGrants } from "../support/active-grants.js";
import { waitFor } from "../support/e2e.js";
import { startedForFile } from "../support/hooks.js";
import { LambdaStack } from "../support/lambda.js";

const stack = startedForFile(new LambdaStack());

/** As Lambda passes it: the revoker's 3-minute timeout, or less. */
const remaining = (ms: number) => ({ getRemainingTimeInMillis: () => ms });

async function statuses(grants: Grant[]): Promise<Array<Grant | undefined>> {
  return Promise.all(grants.map((g) => stack.store.get(g.id)));
}

/** Runs `tasks` at most `width` at a time, as Lambda's reserved concurrency would. */
async function atMost<T>(width: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task) results.push(await task());
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

describe("the Lambda expiry engine end to end", () => {
  it("ends 200 grants due at once within 60 s through wake-ups and sweeps, inside Identity Center's quotas", async () => {
    stack.sim.setFaults({
      requestsPerSecond: 20,
      maxOutstanding: 15,
      delayRangeMs: [1_000, 3_000],
      delayMs: 20,
    });
    stack.sim.clearCalls();
    try {
      const expiresAt = Date.now() + 5_000;
      const grants = await seedActiveGrants(stack.store, stack.sim, 200, expiresAt);
      // Each wake-up fires a minute early (here: now), the sweep too; two revoker instances at most.
      const events = [
        ...grants.slice(0, 20).map((g) => ({ grantId: g.id, at: expiresAt })),
        { sweep: true as const },
      ];
      const reports = await atMost(
        2,
        events.map((event) => () => stack.revoke(event, remaining(180_000)) as Promise<RevokerResult>),
      );
      expect(reports.filter((r) => r.held).length).toBeGreaterThanOrEqual(1);
      const ended = await waitFor(
        "every grant to end",
        async () => {
          const now = await statuses(grants);
          return now.every((g) => g?.status === "ended") ? (now as Grant[]) : undefined;
        },
        30_000,
      );
      for (const grant of ended) {
        expect(grant.endedAt ?? 0).toBeGreaterThanOrEqual(expiresAt);
        expect((grant.endedAt ?? 0) - expiresAt).toBeLessThanOrEqual(60_000);
      }
      const stats = stack.sim.stats();
      expect(stats.maxSsoAdminCallsPerSecond).toBeLessThanOrEqual(20);
      expect(stats.maxOutstandingOperations).toBeLessThanOrEqual(15);
      expect(stats.throttled.rate + stats.throttled.outstanding).toBe(0);
    } finally {
      stack.sim.setFaults({ requestsPerSecond: undefined, delayRangeMs: undefined, delayMs: 20 });
    }
  }, 120_000);

  it("drives a grant woken early at the second it falls due, and one woken late at once", async () => {
    const [early] = await seedActiveGrants(stack.store, stack.sim, 1, Date.now() + 3_000);
    const [late] = await seedActiveGrants(stack.store, stack.sim, 1, Date.now() - 30_000);
    if (!early || !late) throw new Error("not seeded");
    await stack.revoke({ grantId: early.id, at: early.expiresAt ?? 0 }, remaining(180_000));
    const first = await stack.store.get(early.id);
    expect(first?.status).toBe("ended");
    expect(first?.endedAt ?? 0).toBeGreaterThanOrEqual(early.expiresAt ?? 0);
    expect((first?.endedAt ?? 0) - (early.expiresAt ?? 0)).toBeLessThanOrEqual(5_000);
    await stack.revoke({ grantId: late.id, at: late.expiresAt ?? 0 }, remaining(180_000));
    expect((await stack.store.get(late.id))?.status).toBe("ended");
  }, 60_000);

  it("leaves a deletion cut short by its deadline to the next invocation, which sends no second one", async () => {
    const [grant] = await seedActiveGrants(stack.store, stack.sim, 1, Date.now() - 1_000);
    if (!grant) throw new Error("not seeded");
    const tuple = {
      principalId: grant.requester.userId,
      accountId: grant.account.id,
      permissionSetArn: grant.permissionSet.arn,
    };
    stack.sim.setFaults({ stuckTuples: [tuple] });
    const cut = await stack.revoke({ sweep: true }, remaining(28_000));
    expect(cut.stopped).toBe("deadline");
    const left = await stack.store.get(grant.id);
    expect(left?.status).toBe("revoking");
    expect(left?.op?.requestId).toBeDefined();
    expect(left?.dueAt ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(Date.now());
    stack.sim.setFaults({ stuckTuples: [] });
    await stack.revoke({ sweep: true }, remaining(180_000));
    expect((await stack.store.get(grant.id))?.status).toBe("ended");
    const deletes = stack
      .callsOf("DeleteAccountAssignment")
      .filter((c) => (c.input as { PrincipalId?: string }).PrincipalId === grant.requester.userId);
    expect(deletes).toHaveLength(1);
  }, 60_000);

  it("writes the overdue count at the sweep's start, even when the pass cannot finish", async () => {
    const overdue = await seedActiveGrants(stack.store, stack.sim, 12, Date.now() - 10 * 60_000);
    const stuck = overdue.map((g) => ({
      principalId: g.requester.userId,
      accountId: g.account.id,
      permissionSetArn: g.permissionSet.arn,
    }));
    stack.sim.setFaults({ stuckTuples: stuck });
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      lines.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      const report = await stack.revoke({ sweep: true }, remaining(13_000));
      expect(report.overdue).toBeGreaterThanOrEqual(12);
      expect(report.stopped).toBe("deadline");
    } finally {
      process.stdout.write = write;
      stack.sim.setFaults({ stuckTuples: [] });
    }
    const metric = lines.map((l) => l.trim()).find((l) => l.includes('"OverdueActiveGrants"'));
    expect(JSON.parse(metric ?? "{}").OverdueActiveGrants).toBeGreaterThanOrEqual(12);
    await stack.revoke({ sweep: true }, remaining(180_000));
    expect((await statuses(overdue)).every((g) => g?.status === "ended")).toBe(true);
  }, 60_000);
});
