import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { extendGrant } from "../../../src/app/extend.js";
import { requestAccess } from "../../../src/app/request.js";
import { revokeGrant } from "../../../src/app/revoke.js";
import { driveGrant, sweepDue } from "../../../src/app/sweep.js";
import { harness, PEOPLE } from "../../support/app-harness.js";
import { ADMIN, PROD } from "../../support/example-config.js";
import { FakeOutage } from "../../support/fakes.js";

const { dev, admin } = PEOPLE;
const prodAdmin = {
  account: "prod",
  permissionSet: "AdministratorAccess",
  durationSeconds: 3600,
  reason: "INC-1",
};
const devTarget = { userId: dev.userId, accountId: PROD, permissionSetArn: ADMIN };
const devKey = `${dev.userId}|${PROD}|${ADMIN}`;

async function approved(h: ReturnType<typeof harness>) {
  const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
  await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
  return grant.id;
}

async function sweepFor(h: ReturnType<typeof harness>, ms: number, stepMs: number) {
  for (let spent = 0; spent < ms; spent += stepMs) {
    h.clock.advance(stepMs);
    await sweepDue(h.deps);
  }
}

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

describe("a deletion that keeps failing", () => {
  it("backs off to five minutes and is audited, posted and counted once, not once a try", async () => {
    const h = harness();
    const counts = new Map<string, number>();
    h.deps.metrics = { count: (name) => counts.set(name, (counts.get(name) ?? 0) + 1) };
    const id = await approved(h);
    h.identity.refuse(devTarget, "access-denied", ["deletion"]);
    h.clock.advance(3600_000);
    await sweepFor(h, 60 * 60_000, 5_000);
    expect((await h.store.get(id))?.status).toBe("revoking");
    // 1 s doubling to 5 min: 9 tries in the first 5 minutes, then one every 5 minutes.
    expect(h.identity.count("delete")).toBeLessThanOrEqual(22);
    expect((await h.store.auditOf(id)).filter((e) => e.type === "revoke-failed")).toHaveLength(1);
    expect(h.chat.audits.filter((a) => a.event.type === "revoke-failed")).toHaveLength(1);
    expect(counts.get("revoke-failed")).toBe(1);
    const updatesWhileFailing = h.chat.updates.length;
    h.identity.refusing.clear();
    await sweepFor(h, 5 * 60_000, 5_000);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect(h.identity.has(devTarget)).toBe(false);
    expect(h.chat.updates.length - updatesWhileFailing).toBe(1);
  });

  it("resumes within seconds once ten minutes of throttling stop, instead of backing off for minutes", async () => {
    const h = harness();
    const id = await approved(h);
    h.identity.transientFailures = Number.MAX_SAFE_INTEGER;
    h.clock.advance(3600_000);
    await sweepFor(h, 10 * 60_000, 1_000);
    expect((await h.store.get(id))?.status).toBe("revoking");
    h.identity.transientFailures = 0;
    const recovered = h.clock.now();
    await sweepFor(h, 15_000, 1_000);
    const ended = await h.store.get(id);
    expect(ended?.status).toBe("ended");
    expect((ended?.endedAt ?? 0) - recovered).toBeLessThanOrEqual(15_000);
    const audited = (await h.store.auditOf(id)).find((e) => e.type === "revoke-failed");
    expect(audited?.reason).toBe("Identity Center is not answering");
    expect(audited?.detail?.cause).toMatch(/ThrottlingException/);
  });

  it("ends the grant when the assignment turns out to be gone already", async () => {
    const h = harness();
    const id = await approved(h);
    h.identity.refuse(devTarget, "not-found", ["deletion"]);
    h.identity.assignments.delete(devKey);
    h.clock.advance(3600_000);
    await sweepDue(h.deps);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect((await h.store.getTuple(devTarget))?.state).toBe("absent");
  });
});

describe("exactly one deletion however slow Identity Center is", () => {
  it("polls a deletion another driver started instead of sending a second one", async () => {
    const h = harness();
    const id = await approved(h);
    h.identity.stuck.add(devKey);
    h.clock.advance(3600_000);
    await sweepDue(h.deps);
    expect((await h.store.get(id))?.op).toMatchObject({ kind: "deletion", requestId: expect.any(String) });
    await sweepFor(h, 60_000, 5_000);
    h.identity.finish(devTarget);
    await sweepFor(h, 30_000, 5_000);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect(h.identity.count("delete")).toBe(1);
  });

  it("finds a deletion a driver sent before it could record it, and sends no second one", async () => {
    const h = harness();
    const id = await approved(h);
    h.identity.stuck.add(devKey);
    const send = h.identity.startDeletion.bind(h.identity);
    h.identity.startDeletion = async (tuple, options) => {
      await send(tuple, options);
      throw new FakeOutage("the answer was lost");
    };
    h.clock.advance(3600_000);
    await sweepDue(h.deps);
    h.identity.startDeletion = send;
    h.identity.finish(devTarget);
    await sweepFor(h, 60_000, 5_000);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect(h.identity.count("delete")).toBe(1);
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

describe("deny reasons", () => {
  it("refuses a deny reason over the limit and changes nothing", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await expect(
      decideGrant(h.deps, admin.slackId, grant.id, { kind: "deny", reason: "x".repeat(501) }),
    ).rejects.toThrow(/501 characters; at most 500/);
    expect((await h.store.get(grant.id))?.status).toBe("pending");
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
