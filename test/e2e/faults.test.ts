import { afterEach, describe, expect, inject, it } from "vitest";
import type { Grant } from "../../src/domain/grant.js";
import { seedActiveGrants, seedApprovedGrants } from "../support/active-grants.js";
import { DynamoProxy } from "../support/dynamo-proxy.js";
import { E2EStack, PEOPLE, type StackOptions, waitFor } from "../support/e2e.js";

const { dev, admin } = PEOPLE;

let stack: E2EStack | undefined;
let proxy: DynamoProxy | undefined;

async function start(options: StackOptions = {}, throughProxy = false): Promise<E2EStack> {
  let endpoint = inject("dynamoEndpoint");
  if (throughProxy) {
    proxy = new DynamoProxy(endpoint);
    endpoint = await proxy.start();
  }
  stack = new E2EStack(options);
  await stack.start(endpoint);
  return stack;
}

afterEach(async () => {
  stack?.slack.latency(0);
  await stack?.stop();
  await proxy?.stop();
  stack = undefined;
  proxy = undefined;
});

/** Waits until every grant has ended; returns them as stored. */
async function allEnded(s: E2EStack, grants: Grant[], timeoutMs: number): Promise<Grant[]> {
  return waitFor(
    "every grant to end",
    async () => {
      const now = await Promise.all(grants.map((g) => s.store.get(g.id)));
      return now.every((g) => g?.status === "ended") ? (now as Grant[]) : undefined;
    },
    timeoutMs,
  );
}

async function requestAndApprove(s: E2EStack, text: string): Promise<string> {
  await s.slash(dev, text);
  const grant = await waitFor("the request", async () => (await s.store.byRequester(dev.slackId))[0]);
  await s.click(admin, "approve", grant.id);
  return grant.id;
}

describe("revocation under faults on the long-running server", () => {
  it("ends 20 grants expiring together within 10 s while every Slack call hangs for 20 s", async () => {
    const s = await start();
    s.slack.latency(20_000);
    const expiresAt = Date.now() + 3_000;
    const grants = await seedActiveGrants(s.store, s.sim, 20, expiresAt);
    const ended = await allEnded(s, grants, 20_000);
    for (const grant of ended) {
      expect(grant.endedAt ?? 0).toBeGreaterThanOrEqual(expiresAt);
      expect((grant.endedAt ?? 0) - expiresAt).toBeLessThanOrEqual(10_000);
    }
    const left = s.sim.assignments().filter((a) => a.principalId.startsWith("u-seed-"));
    expect(left).toEqual([]);
  }, 60_000);

  it("sends exactly one DeleteAccountAssignment for a deletion that takes 25 s", async () => {
    const s = await start({ faults: { delayMs: 25_000 } });
    const [grant] = await seedActiveGrants(s.store, s.sim, 1, Date.now() + 1_000);
    const [ended] = await allEnded(s, grant ? [grant] : [], 45_000);
    expect(ended?.status).toBe("ended");
    const deletes = s.sim.calls().filter((c) => c.operation === "DeleteAccountAssignment");
    expect(deletes.map((c) => c.outcome)).toEqual(["ok"]);
  }, 60_000);

  it("plans the expiry and tells the requester when the activation's answer is lost", async () => {
    const s = await start({}, true);
    const lost = proxy?.when({
      operation: "TransactWriteItems",
      containing: '"status":{"S":"active"}',
      action: "drop-answer",
    });
    const id = await requestAndApprove(s, "prod ReadOnly 1h answer lost");
    await lost;
    const active = await waitFor("activation", async () => {
      const grant = await s.store.get(id);
      return grant?.status === "active" ? grant : undefined;
    });
    await waitFor("the granted DM", () =>
      s.slack.messages.find((m) => m.channel.startsWith("D") && JSON.stringify(m).includes("You have")),
    );
    s.clock.advance((active.expiresAt ?? 0) - s.clock.now() + 500);
    const [ended] = await allEnded(s, [active], 10_000);
    expect((ended?.endedAt ?? 0) - (active.expiresAt ?? 0)).toBeLessThanOrEqual(10_000);
    expect((await s.store.auditOf(id)).filter((e) => e.type === "activated")).toHaveLength(1);
  }, 60_000);

  it("tells a requester in words that AWS is not answering while DynamoDB is unreachable", async () => {
    const s = await start({}, true);
    proxy?.outage(true);
    const answer = await s.slash(dev, "prod ReadOnly 1h while the store is down");
    expect(answer.status).toBe(200);
    const reply = await waitFor("the reply", () => s.repliesTo(answer.responseId), 30_000);
    expect(reply).toMatch(/AWS is not answering/);
    expect(reply).not.toMatch(/DynamoDB|ECONN|socket|arn:/i);
    proxy?.outage(false);
    expect(await s.store.byRequester(dev.slackId)).toEqual([]);
  }, 60_000);
});

describe("a backlog of expiries and creations", () => {
  it("ends grants expiring behind a burst of slow creations within 10 s", async () => {
    const s = await start({ faults: { delayMs: 4_000, maxOutstanding: 15, requestsPerSecond: 20 } });
    // 40 creations of 4 s each arrive first: served first come first served, they would hold every slot for 12 s.
    await seedApprovedGrants(s.store, 40, Date.now());
    await waitFor("the creations to start", () => s.sim.operations().length >= 10, 10_000);
    const expiresAt = Date.now() + 500;
    const grants = await seedActiveGrants(s.store, s.sim, 15, expiresAt);
    const ended = await allEnded(s, grants, 30_000);
    const last = Math.max(...ended.map((g) => g.endedAt ?? 0));
    expect(last - expiresAt).toBeLessThanOrEqual(10_000);
  }, 60_000);
});
