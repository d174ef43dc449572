import { describe, expect, it } from "vitest";
import { MemoryLeaseStore } from "../../../src/adapters/memory/lease.js";
import { decideGrant } from "../../../src/app/decide.js";
import { ENGINE_LEASE, type EngineOptions, runEngine } from "../../../src/app/engine.js";
import { requestAccess } from "../../../src/app/request.js";
import { harness, PEOPLE } from "../../support/app-harness.js";
import { ADMIN, PROD } from "../../support/example-config.js";
import { prodAdminAsk } from "../../support/use-cases.js";

const { dev, admin } = PEOPLE;
const prodAdmin = prodAdminAsk("INC-1");
const devTarget = { userId: dev.userId, accountId: PROD, permissionSetArn: ADMIN };

type H = ReturnType<typeof harness>;

async function active(h: H): Promise<string> {
  const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
  await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
  return grant.id;
}

/** A fresh lease store and an approved, active grant of dev's, with the time it expires. */
async function activeOnLeases(h: H): Promise<{ leases: MemoryLeaseStore; id: string; expiresAt: number }> {
  const leases = new MemoryLeaseStore();
  const id = await active(h);
  const expiresAt = (await h.store.get(id))?.expiresAt ?? 0;
  return { leases, id, expiresAt };
}

/** Engine options on the harness's clock: every sleep moves time on instead of waiting. */
function engine(h: H, leases: MemoryLeaseStore, overrides: Partial<EngineOptions> = {}): EngineOptions {
  return {
    leases,
    holder: "one",
    deadline: h.clock.now() + 15 * 60_000,
    // Work in flight settles before time moves on, as it would within a real second.
    sleep: async (ms) => {
      await new Promise((resolve) => setImmediate(resolve));
      h.clock.advance(ms);
    },
    ...overrides,
  };
}

describe("the Lambda expiry engine", () => {
  it("drives a grant woken a minute early at the second it falls due, then lets go", async () => {
    const h = harness();
    const { leases, id, expiresAt } = await activeOnLeases(h);
    h.clock.set(expiresAt - 10 * 60_000 - 60_000);
    await runEngine(h.deps, engine(h, leases, { grantId: id }));
    h.clock.set(expiresAt - 60_000);
    const report = await runEngine(h.deps, engine(h, leases, { grantId: id }));
    const ended = await h.store.get(id);
    expect(report).toMatchObject({ held: true, stopped: "idle" });
    expect(ended?.status).toBe("ended");
    expect((ended?.endedAt ?? 0) - expiresAt).toBeGreaterThanOrEqual(0);
    expect((ended?.endedAt ?? 0) - expiresAt).toBeLessThanOrEqual(1_000);
    expect((await leases.readLease(ENGINE_LEASE))?.until).toBe(0);
  });

  it("leaves a grant to a live holder that has it, without taking the lease", async () => {
    const h = harness();
    const leases = new MemoryLeaseStore();
    const id = await active(h);
    const dueAt = (await h.store.get(id))?.dueAt ?? 0;
    const now = dueAt - 30_000;
    h.clock.set(now);
    await leases.writeLease(
      {
        name: ENGINE_LEASE,
        holder: "other",
        until: now + 20_000,
        horizon: now + 120_000,
        closing: false,
        version: 1,
      },
      undefined,
    );
    let renewals = 0;
    const holderRenews = async (ms: number) => {
      h.clock.advance(ms);
      const lease = await leases.readLease(ENGINE_LEASE);
      if (lease) {
        const t = h.clock.now();
        await leases.writeLease(
          { ...lease, until: t + 20_000, horizon: t + 120_000, version: lease.version + 1 },
          lease.version,
        );
        renewals++;
      }
    };
    const report = await runEngine(h.deps, engine(h, leases, { grantId: id, sleep: holderRenews }));
    expect(report).toMatchObject({ held: false, stopped: "covered" });
    expect((await leases.readLease(ENGINE_LEASE))?.holder).toBe("other");
    expect(renewals).toBeGreaterThan(0);
    expect(h.clock.now() - dueAt).toBeLessThanOrEqual(20_000);
  });

  it("takes over from a holder that stopped renewing its lease", async () => {
    const h = harness();
    const { leases, id, expiresAt } = await activeOnLeases(h);
    h.clock.set(expiresAt);
    await leases.writeLease(
      {
        name: ENGINE_LEASE,
        holder: "dead",
        until: expiresAt + 20_000,
        horizon: expiresAt,
        closing: false,
        version: 1,
      },
      undefined,
    );
    const report = await runEngine(h.deps, engine(h, leases, { grantId: id }));
    expect(report.held).toBe(true);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect(h.clock.now() - expiresAt).toBeLessThanOrEqual(25_000);
  });

  it("stops taking work before its deadline and the next invocation finishes the same deletion", async () => {
    const h = harness();
    const { leases, id, expiresAt } = await activeOnLeases(h);
    h.identity.stuck.add(`${dev.userId}|${PROD}|${ADMIN}`);
    h.clock.set(expiresAt);
    const first = await runEngine(h.deps, engine(h, leases, { deadline: expiresAt + 30_000 }));
    expect(first.stopped).toBe("deadline");
    expect((await h.store.get(id))?.op).toMatchObject({ kind: "deletion", requestId: expect.any(String) });
    h.identity.finish(devTarget);
    h.clock.advance(60_000);
    await runEngine(h.deps, engine(h, leases, { holder: "two" }));
    expect((await h.store.get(id))?.status).toBe("ended");
    expect(h.identity.count("delete")).toBe(1);
  });

  it("starts nothing in its last seconds, leaving a grant that falls due then to the next invocation", async () => {
    const h = harness();
    const { leases, id, expiresAt } = await activeOnLeases(h);
    h.clock.set(expiresAt - 20_000);

    const report = await runEngine(h.deps, engine(h, leases, { deadline: expiresAt + 13_000 }));

    expect(report).toMatchObject({ held: true, stopped: "deadline" });
    expect((await h.store.get(id))?.status).toBe("active");
    expect(h.identity.count("delete")).toBe(0);
    await runEngine(h.deps, engine(h, leases, { holder: "two" }));
    expect((await h.store.get(id))?.status).toBe("ended");
  });

  it("keeps the lease when a grant falls due while it is closing", async () => {
    const h = harness();
    const leases = new MemoryLeaseStore();
    let later: string | undefined;
    const sleep = async (ms: number) => {
      h.clock.advance(ms);
      if (!later) later = await active(h);
    };
    const report = await runEngine(h.deps, engine(h, leases, { sleep, settleMs: 2_000 }));
    expect(report.held).toBe(true);
    expect(later).toBeDefined();
    expect((await h.store.get(later ?? ""))?.status).toBe("active");
  });
});

describe("the engine at its deadline", () => {
  it("starts the next run at once when it stops with grants still due", async () => {
    const h = harness();
    const { leases, expiresAt } = await activeOnLeases(h);
    h.identity.stuck.add(`${dev.userId}|${PROD}|${ADMIN}`);
    h.clock.set(expiresAt);
    let continued = 0;
    const report = await runEngine(
      h.deps,
      engine(h, leases, {
        deadline: expiresAt + 30_000,
        continueLater: async () => {
          continued++;
        },
      }),
    );
    expect(report.stopped).toBe("deadline");
    expect(continued).toBe(1);
    expect((await leases.readLease(ENGINE_LEASE))?.until).toBe(0);
  });
});
