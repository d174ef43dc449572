import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { extendGrant } from "../../../src/app/extend.js";
import { EXPIRED, revokeGrant, startRevocation } from "../../../src/app/revoke.js";
import { sweepDue } from "../../../src/app/sweep.js";
import { NotAuthorised } from "../../../src/domain/errors.js";
import { SYSTEM_ACTOR } from "../../../src/domain/grant.js";
import { type Harness, harness, PEOPLE } from "../../support/app-harness.js";
import { ADMIN, PROD } from "../../support/example-config.js";
import { FakeOutage } from "../../support/fakes.js";
import {
  prodAdminAsk,
  requestByCommand as request,
  requestActive,
  requestApproved,
  sweepFor,
  target,
} from "../../support/use-cases.js";

const { dev, admin, admin2, outsider } = PEOPLE;
const prodAdmin = prodAdminAsk("INC-1");
const devTarget = target(dev.userId);
const devKey = `${dev.userId}|${PROD}|${ADMIN}`;
const approved = (h: Harness) => requestApproved(h, prodAdmin);
const active = approved;
const activeGrant = (h: Harness) => requestActive(h, prodAdmin);

describe("revoke", () => {
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
});

describe("expiry under races and crashes", () => {
  it("does not revoke a grant that was extended between the expiry pass's read and its write", async () => {
    const h = harness();
    const grant = await activeGrant(h);
    h.clock.set(grant.expiresAt ?? 0);
    const readBySweep = await h.store.get(grant.id);
    if (!readBySweep) throw new Error("missing");
    await extendGrant(h.deps, admin.slackId, grant.id, 3600);
    const after = await startRevocation(h.deps, readBySweep, SYSTEM_ACTOR, EXPIRED);
    expect(after.status).toBe("active");
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

describe("a request with a scheduled start", () => {
  it("ends a grant approved but not started when its requester revokes it, creating nothing", async () => {
    const h = harness();
    const grant = await request(h, "prod AdministratorAccess 1h at 14:00 INC-42");
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    await revokeGrant(h.deps, dev.slackId, grant.id);
    expect((await h.store.get(grant.id))?.status).toBe("ended");
    expect(h.identity.count("create")).toBe(0);
  });
});
