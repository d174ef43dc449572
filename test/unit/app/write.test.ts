import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { extendGrant } from "../../../src/app/extend.js";
import { requestAccess } from "../../../src/app/request.js";
import { sweepDue } from "../../../src/app/sweep.js";
import { harness, PEOPLE } from "../../support/app-harness.js";
import { prodAdminAsk } from "../../support/use-cases.js";

const { dev, admin, outsider } = PEOPLE;
const prodAdmin = prodAdminAsk("INC-123");
const MINUTE = 60_000;

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
