import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { extendGrant } from "../../../src/app/extend.js";
import { requestAccess } from "../../../src/app/request.js";
import { driveGrant, sweepDue } from "../../../src/app/sweep.js";
import { type Harness, harness, PEOPLE } from "../../support/app-harness.js";
import {
  HARNESS_START as NOW,
  prodAdminAsk,
  requestByCommand as request,
  requestActive,
  requestApproved,
  target,
} from "../../support/use-cases.js";

const { dev, admin } = PEOPLE;
const prodAdmin = prodAdminAsk("INC-123");
const devTarget = target(dev.userId);
const MINUTE = 60_000;
const approved = (h: Harness) => requestApproved(h, prodAdmin);
const activeProdAdmin = (h: Harness) => requestActive(h, prodAdmin);

describe("expiry", () => {
  async function activeGrant(h: ReturnType<typeof harness>, ask = prodAdmin) {
    const grant = await requestAccess(h.deps, dev.slackId, ask);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    return grant.id;
  }

  it("revokes at expiry and never before", async () => {
    const h = harness();
    const id = await activeGrant(h);
    h.clock.advance(3600_000 - 1);
    await sweepDue(h.deps);
    expect((await h.store.get(id))?.status).toBe("active");
    expect(h.chat.noticesFor(id)).toContain("reminder");
    h.clock.advance(1);
    await sweepDue(h.deps);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect(h.identity.has(target(dev.userId))).toBe(false);
    expect(h.chat.noticesFor(id)).toEqual(["granted", "reminder", "expired"]);
  });

  it("keeps an assignment that an overlapping grant still covers, and deletes it with the last", async () => {
    const h = harness();
    const first = await activeGrant(h);
    h.clock.advance(30 * MINUTE);
    const second = await activeGrant(h);
    expect(h.identity.count("create")).toBe(1);
    expect((await h.store.getTuple(target(dev.userId)))?.holders).toEqual([first, second]);
    h.clock.advance(30 * MINUTE);
    await sweepDue(h.deps);
    expect((await h.store.get(first))?.status).toBe("ended");
    expect(h.identity.has(target(dev.userId))).toBe(true);
    h.clock.advance(30 * MINUTE);
    await sweepDue(h.deps);
    expect((await h.store.get(second))?.status).toBe("ended");
    expect(h.identity.has(target(dev.userId))).toBe(false);
    expect(h.identity.count("delete")).toBe(1);
  });

  it("grants, tells and later revokes even when the scheduler cannot be reached", async () => {
    const h = harness();
    h.scheduler.down = true;
    const id = await activeGrant(h);
    expect((await h.store.get(id))?.status).toBe("active");
    expect(h.chat.noticesFor(id)).toEqual(["granted"]);
    expect(h.log.lines.some((l) => l.level === "error" && l.msg.startsWith("schedule not set"))).toBe(true);
    h.clock.advance(3600_000);
    await sweepDue(h.deps);
    expect((await h.store.get(id))?.status).toBe("ended");
  });

  it("arms a timer for a grant due before the next pass, so a restarted server is exact", async () => {
    const h = harness();
    const id = await activeGrant(h);
    const remindAt = h.scheduler.scheduled.get(id);
    h.scheduler.scheduled.clear();
    h.clock.set((remindAt ?? 0) - 3_000);
    await sweepDue(h.deps, { lookaheadMs: 5_000 });
    expect(h.scheduler.scheduled.get(id)).toBe(remindAt);
    expect(h.chat.noticesFor(id)).toEqual(["granted"]);
  });

  it("still revokes while Slack is down", async () => {
    const h = harness();
    const id = await activeGrant(h);
    h.chat.down = true;
    h.clock.advance(3600_000);
    await sweepDue(h.deps);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect(h.identity.has(target(dev.userId))).toBe(false);
  });

  it("retries a failed deletion within seconds and audits the failure once, not once a try", async () => {
    const h = harness();
    const id = await activeGrant(h);
    h.clock.advance(3600_000);
    h.identity.transientFailures = 2;
    await sweepDue(h.deps);
    expect((await h.store.get(id))?.status).toBe("revoking");
    h.clock.advance(10_000);
    await sweepDue(h.deps);
    h.clock.advance(10_000);
    await sweepDue(h.deps);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect((await h.store.auditOf(id)).filter((e) => e.type === "revoke-failed")).toHaveLength(1);
    expect(h.chat.audits.some((a) => a.event.type === "revoke-failed")).toBe(true);
  });

  it("times out a request nobody decided", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    h.clock.advance(7200_000);
    await sweepDue(h.deps);
    expect((await h.store.get(grant.id))?.status).toBe("timed-out");
    expect(h.chat.noticesFor(grant.id)).toEqual(["timed-out"]);
  });
});

describe("expiry under races and crashes", () => {
  it("deletes the assignment within 60 s of expiry after a revoker died mid-deletion", async () => {
    const h = harness();
    const grant = await activeProdAdmin(h);
    h.clock.set(grant.expiresAt ?? 0);
    const realDelete = h.identity.startDeletion.bind(h.identity);
    let reached: () => void = () => {};
    const atDelete = new Promise<void>((resolve) => {
      reached = resolve;
    });
    h.identity.startDeletion = () => {
      reached();
      return new Promise(() => {});
    };
    void sweepDue(h.deps);
    await atDelete;
    h.identity.startDeletion = realDelete;
    h.clock.advance(60_000);
    await sweepDue(h.deps);
    expect(h.identity.has(devTarget)).toBe(false);
  });
});

describe("wake-ups", () => {
  it("re-arms the next wake-up when one finds nothing to do", async () => {
    const h = harness();
    const id = await approved(h);
    h.scheduler.down = true;
    const extended = await extendGrant(h.deps, admin.slackId, id, 1800);
    h.scheduler.down = false;
    h.scheduler.scheduled.delete(id);
    h.clock.advance(3600_000);
    await driveGrant(h.deps, id);
    expect((await h.store.get(id))?.status).toBe("active");
    expect(h.scheduler.scheduled.get(id)).toBe(extended.dueAt);
  });
});

describe("a request with a scheduled start", () => {
  const HOUR = 3600_000;

  it("grants at the start and counts the duration from activation", async () => {
    const h = harness();
    const grant = await request(h, "prod AdministratorAccess 2h in 90m INC-42");
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    h.clock.set(NOW + 90 * 60_000 + 5_000);
    await driveGrant(h.deps, grant.id);
    const active = await h.store.get(grant.id);
    expect(active).toMatchObject({
      status: "active",
      activatedAt: h.clock.now(),
      expiresAt: h.clock.now() + 2 * HOUR,
    });
    expect(h.chat.noticesFor(grant.id)).toContain("granted");
  });
});
