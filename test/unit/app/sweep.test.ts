import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { extendGrant } from "../../../src/app/extend.js";
import { listGrants } from "../../../src/app/list.js";
import { requestAccess } from "../../../src/app/request.js";
import { revokeGrant } from "../../../src/app/revoke.js";
import { sweepDue } from "../../../src/app/sweep.js";
import { NotAuthorised, RequestRefused } from "../../../src/domain/errors.js";
import { harness, PEOPLE } from "../../support/app-harness.js";
import { ADMIN, PROD } from "../../support/example-config.js";

const { dev, admin, admin2, outsider } = PEOPLE;
const prodAdmin = {
  account: "prod",
  permissionSet: "AdministratorAccess",
  durationSeconds: 3600,
  reason: "INC-123",
};
const target = (userId: string, accountId = PROD, permissionSetArn = ADMIN) => ({
  userId,
  accountId,
  permissionSetArn,
});
const MINUTE = 60_000;

describe("provisioning", () => {
  it("fails with Identity Center's reason and frees the assignment for a later grant", async () => {
    const h = harness();
    h.identity.failWith(target(dev.userId), "permission set not provisioned");
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    expect(await h.store.get(grant.id)).toMatchObject({ status: "failed" });
    expect((await h.store.get(grant.id))?.outcomeReason).toBe(
      "Identity Center could not provision the assignment",
    );
    const failed = (await h.store.auditOf(grant.id)).find((e) => e.type === "failed");
    expect(failed?.detail?.cause).toMatch(/permission set not provisioned/);
    expect(h.chat.noticesFor(grant.id)).toEqual(["failed"]);
    expect((await h.store.getTuple(target(dev.userId)))?.state).toBe("absent");
  });

  it("retries a transient error later and then grants", async () => {
    const h = harness();
    h.identity.transientFailures = 1;
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    expect((await h.store.get(grant.id))?.status).toBe("provisioning");
    h.clock.advance(10_000);
    await sweepDue(h.deps);
    expect((await h.store.get(grant.id))?.status).toBe("active");
    expect(h.identity.count("create")).toBe(2);
  });

  it("never fails a grant whose creation may have gone through, so nothing is left behind", async () => {
    const h = harness();
    h.identity.lostResults = 1;
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    expect((await h.store.get(grant.id))?.status).toBe("provisioning");
    h.clock.advance(10_000);
    await sweepDue(h.deps);
    expect(await h.store.get(grant.id)).toMatchObject({ status: "active", preExisting: false });
    h.clock.advance(3600_000);
    await sweepDue(h.deps);
    expect(h.identity.has(target(dev.userId))).toBe(false);
  });

  it("records a permanent assignment as pre-existing and keeps it when the grant expires", async () => {
    const h = harness();
    h.identity.addAssignment(target(dev.userId));
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    expect(await h.store.get(grant.id)).toMatchObject({ status: "active", preExisting: true });
    expect(h.identity.count("create")).toBe(0);
    h.clock.advance(3600_000);
    await sweepDue(h.deps);
    expect((await h.store.get(grant.id))?.status).toBe("ended");
    expect(h.identity.has(target(dev.userId))).toBe(true);
    expect(h.identity.count("delete")).toBe(0);
  });
});

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

describe("revoke and extend", () => {
  async function active(h: ReturnType<typeof harness>) {
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    return grant.id;
  }

  it("lets the requester revoke early", async () => {
    const h = harness();
    const id = await active(h);
    await revokeGrant(h.deps, dev.slackId, id);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect(h.identity.has(target(dev.userId))).toBe(false);
    expect(h.chat.noticesFor(id)).toEqual(["granted", "revoked"]);
  });

  it("lets an approver of the rule revoke and refuses anyone else", async () => {
    const h = harness();
    const id = await active(h);
    await expect(revokeGrant(h.deps, outsider.slackId, id)).rejects.toBeInstanceOf(NotAuthorised);
    expect((await h.store.get(id))?.status).toBe("active");
    await revokeGrant(h.deps, admin2.slackId, id);
    expect((await h.store.get(id))?.status).toBe("ended");
  });

  it("extends by an approver and refuses going past the rule's maximum", async () => {
    const h = harness();
    const id = await active(h);
    const extended = await extendGrant(h.deps, admin.slackId, id, 3600);
    expect(extended.expiresAt).toBe(h.clock.now() + 2 * 3600_000);
    await expect(extendGrant(h.deps, admin.slackId, id, 3 * 3600)).rejects.toBeInstanceOf(RequestRefused);
    await expect(extendGrant(h.deps, outsider.slackId, id, 600)).rejects.toBeInstanceOf(NotAuthorised);
    // The requester asks the rule's approvers instead of extending by themselves.
    const asked = await extendGrant(h.deps, dev.slackId, id, 600);
    expect(asked.extension).toMatchObject({ status: "pending", by: dev.slackId, addSeconds: 600 });
    expect(asked.expiresAt).toBe(extended.expiresAt);
  });

  it("lists the requester's open grants", async () => {
    const h = harness();
    const id = await active(h);
    const pending = await requestAccess(h.deps, dev.slackId, { ...prodAdmin, permissionSet: "ReadOnly" });
    expect((await listGrants(h.deps, dev.slackId)).map((g) => g.id).sort()).toEqual([id, pending.id].sort());
  });
});

describe("two processes at once", () => {
  it("creates and deletes the assignment exactly once when two processes sweep the same grants", async () => {
    const one = harness();
    const two = { ...one.deps, jobs: { drive: async () => {} } };
    const grant = await requestAccess(one.deps, dev.slackId, prodAdmin);
    await decideGrant(one.deps, admin.slackId, grant.id, { kind: "approve" });
    one.clock.advance(3600_000);
    await Promise.all([sweepDue(one.deps), sweepDue(two), sweepDue(one.deps), sweepDue(two)]);
    expect((await one.store.get(grant.id))?.status).toBe("ended");
    expect(one.identity.count("create")).toBe(1);
    expect(one.identity.count("delete")).toBe(1);
  });
});

describe("audit trail", () => {
  it("records every decision of a grant's life with actor, time and reason", async () => {
    const h = harness();
    await expect(
      requestAccess(h.deps, dev.slackId, { ...prodAdmin, durationSeconds: 9 * 3600 }),
    ).rejects.toThrow();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await expect(decideGrant(h.deps, outsider.slackId, grant.id, { kind: "approve" })).rejects.toThrow();
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    await extendGrant(h.deps, admin.slackId, grant.id, 1800);
    h.clock.advance(90 * MINUTE - 5 * MINUTE);
    await sweepDue(h.deps);
    h.clock.advance(5 * MINUTE);
    await sweepDue(h.deps);
    const trail = await h.store.auditOf(grant.id);
    expect(trail.map((e) => [e.type, e.actor])).toEqual([
      ["requested", dev.slackId],
      ["refused", outsider.slackId],
      ["approved", admin.slackId],
      ["activated", "system"],
      ["extended", admin.slackId],
      ["reminded", "system"],
      ["expired", "system"],
      ["revoked", "system"],
    ]);
    expect(trail.every((e) => e.at >= grant.createdAt && e.grantId === grant.id)).toBe(true);
    expect(trail[0]?.reason).toBe("INC-123");
    expect(trail.find((e) => e.type === "refused")?.reason).toMatch(/not an approver|approvers/);
    const day = new Date(h.clock.now()).toISOString().slice(0, 10);
    expect((await h.store.refusalsOn(day)).map((e) => e.actor)).toContain(dev.slackId);
  });
});
