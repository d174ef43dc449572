import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { requestAccess } from "../../../src/app/request.js";
import { revokeGrant } from "../../../src/app/revoke.js";
import { driveGrant, sweepDue } from "../../../src/app/sweep.js";
import { type Harness, harness, PEOPLE } from "../../support/app-harness.js";
import { prodAdminAsk, requestApproved, sweepFor, target } from "../../support/use-cases.js";

const { dev, admin } = PEOPLE;
const prodAdmin = prodAdminAsk("INC-123");
const devTarget = target(dev.userId);
const approved = (h: Harness) => requestApproved(h, prodAdmin);

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

  it("still deletes an assignment whose creation landed after polling gave up", async () => {
    const h = harness();
    h.identity.stuck.add(`${devTarget.userId}|${devTarget.accountId}|${devTarget.permissionSetArn}`);
    const first = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, first.id, { kind: "approve" });
    expect((await h.store.get(first.id))?.status).toBe("provisioning");
    h.identity.finish(devTarget);
    h.clock.advance(60_000);
    await sweepDue(h.deps);
    const second = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, second.id, { kind: "approve" });
    for (let i = 0; i < 4; i++) {
      h.clock.advance(3600_000);
      await sweepDue(h.deps);
    }
    expect(h.identity.has(devTarget)).toBe(false);
    expect(h.identity.count("create")).toBe(1);
  });
});

describe("an outright refusal from Identity Center", () => {
  it("fails the grant at once, tells the requester in words and frees the assignment", async () => {
    const h = harness();
    h.identity.refuse(devTarget, "access-denied");
    const id = await approved(h);
    const grant = await h.store.get(id);
    expect(grant?.status).toBe("failed");
    expect(grant?.outcomeReason).toMatch(/not allowed to change this assignment/);
    expect(grant?.outcomeReason).not.toMatch(/AccessDenied|arn:/);
    expect(h.chat.noticesFor(id)).toEqual(["failed"]);
    expect((await h.store.getTuple(devTarget))?.state).toBe("absent");
    expect(h.identity.count("create")).toBe(1);
  });

  it("is never granted quietly later, once the refusal stops", async () => {
    const h = harness();
    h.identity.refuse(devTarget, "invalid");
    const id = await approved(h);
    h.identity.refusing.clear();
    await sweepFor(h, 10 * 60_000, 5_000);
    expect((await h.store.get(id))?.status).toBe("failed");
    expect(h.identity.has(devTarget)).toBe(false);
    expect(h.identity.count("create")).toBe(1);
    expect((await h.store.auditOf(id)).map((e) => e.type)).toEqual(["requested", "approved", "failed"]);
  });
});

describe("a creation waiting for Identity Center's quotas", () => {
  it("is never sent once the grant was revoked meanwhile: no assignment is left behind", async () => {
    const h = harness();
    let open: () => void = () => {};
    const slot = new Promise<void>((resolve) => {
      open = resolve;
    });
    h.identity.slotWait = () => slot;
    const background: Promise<unknown>[] = [];
    h.deps.jobs = { drive: async (id) => void background.push(driveGrant(h.deps, id)) };
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    await revokeGrant(h.deps, dev.slackId, grant.id);
    await sweepFor(h, 30_000, 1_000);
    expect((await h.store.get(grant.id))?.status).toBe("ended");
    open();
    await Promise.allSettled(background);
    await sweepFor(h, 24 * 3600_000, 3600_000);
    expect(h.identity.count("create")).toBe(0);
    expect(h.identity.has(devTarget)).toBe(false);
    expect((await h.store.getTuple(devTarget))?.state ?? "absent").toBe("absent");
  });
});
