import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { decideExtension, extendGrant } from "../../../src/app/extend.js";
import { requestAccess } from "../../../src/app/request.js";
import { sweepDue } from "../../../src/app/sweep.js";
import { NotAuthorised, RequestRefused } from "../../../src/domain/errors.js";
import type { Grant } from "../../../src/domain/grant.js";
import { aRule, type Harness, harness, PEOPLE } from "../../support/app-harness.js";
import { exampleConfig } from "../../support/example-config.js";
import { prodAdminAsk, requestActive, requestApproved } from "../../support/use-cases.js";

const { dev, admin, admin2, lead, outsider } = PEOPLE;
const HOUR = 3600_000;
const prodAdmin = prodAdminAsk("INC-7");

/** The example config with prod-admin needing `approvals` distinct approvers. */
function needing(approvals: number): Harness {
  const base = exampleConfig();
  const rules = base.rules.map((rule) =>
    rule.name === "prod-admin" ? aRule({ approvalsRequired: approvals }) : rule,
  );
  return harness({ ...base, rules });
}

/** An active prod-admin grant of dev's, approved by admin (and admin2 when two are needed). */
async function activeGrant(h: Harness): Promise<Grant> {
  const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
  await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
  if (grant.approvalsRequired > 1) await decideGrant(h.deps, admin2.slackId, grant.id, { kind: "approve" });
  const active = await h.store.get(grant.id);
  expect(active?.status).toBe("active");
  return active as Grant;
}

const auditTypes = async (h: Harness, id: string) => (await h.store.auditOf(id)).map((e) => e.type);
const active = (h: Harness) => requestApproved(h, prodAdmin);
const activeProdAdmin = (h: Harness) => requestActive(h, prodAdmin);

describe("extensions under approval rules", () => {
  it("asks the approvers in the request's thread and extends only once the rule's quorum agrees", async () => {
    const h = needing(2);
    const grant = await activeGrant(h);
    const asked = await extendGrant(h.deps, dev.slackId, grant.id, HOUR / 1000);
    expect(asked.expiresAt).toBe(grant.expiresAt);
    expect(asked.extension).toMatchObject({ status: "pending", by: dev.slackId, required: 2, approvals: [] });
    expect(h.chat.extensions).toEqual([
      expect.objectContaining({ channel: "C0PRODADMIN", thread: grant.message?.ts }),
    ]);
    const id = asked.extension?.id ?? "";
    const half = await decideExtension(h.deps, admin.slackId, grant.id, id, { kind: "approve" });
    expect(half.expiresAt).toBe(grant.expiresAt);
    expect(h.chat.noticesFor(grant.id)).not.toContain("extended");
    const done = await decideExtension(h.deps, admin2.slackId, grant.id, id, { kind: "approve" });
    expect(done.expiresAt).toBe((grant.expiresAt ?? 0) + HOUR);
    expect(done.extension).toMatchObject({ status: "approved", decidedBy: admin2.slackId });
    expect(h.chat.noticesFor(grant.id)).toContain("extended");
    expect(h.chat.extensionUpdates.at(-1)?.grant.extension?.status).toBe("approved");
    expect(h.scheduler.scheduled.get(grant.id)).toBe(done.dueAt);
    expect(await auditTypes(h, grant.id)).toEqual(
      expect.arrayContaining(["extension-requested", "extension-approved", "extended"]),
    );
  });

  it("closes the hole: one approver no longer extends a grant whose rule needs two", async () => {
    const h = needing(2);
    const grant = await activeGrant(h);
    const first = await extendGrant(h.deps, admin.slackId, grant.id, 1800);
    expect(first.expiresAt).toBe(grant.expiresAt);
    expect(first.extension?.approvals.map((a) => a.slackId)).toEqual([admin.slackId]);
    // The same person from a second Slack account counts once.
    h.chat.addUser("U0ADMINALT", admin.email);
    const id = first.extension?.id ?? "";
    await expect(
      decideExtension(h.deps, "U0ADMINALT", grant.id, id, { kind: "approve" }),
    ).rejects.toBeInstanceOf(NotAuthorised);
    // Another approver's own `extend` of the same length counts as their approval.
    const second = await extendGrant(h.deps, lead.slackId, grant.id, 1800);
    expect(second.expiresAt).toBe((grant.expiresAt ?? 0) + 1800_000);
  });

  it("extends at once when the rule needs one approver and an approver asks", async () => {
    const h = needing(1);
    const grant = await activeGrant(h);
    const extended = await extendGrant(h.deps, admin.slackId, grant.id, 1800);
    expect(extended.expiresAt).toBe((grant.expiresAt ?? 0) + 1800_000);
    expect(h.chat.extensions).toEqual([]);
  });

  it("counts two approvers clicking at once each once, and extends once", async () => {
    const h = needing(2);
    const grant = await activeGrant(h);
    const id = (await extendGrant(h.deps, dev.slackId, grant.id, 1800)).extension?.id ?? "";
    const outcomes = await Promise.allSettled([
      decideExtension(h.deps, admin.slackId, grant.id, id, { kind: "approve" }),
      decideExtension(h.deps, admin2.slackId, grant.id, id, { kind: "approve" }),
      decideExtension(h.deps, admin.slackId, grant.id, id, { kind: "approve" }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(2);
    const after = await h.store.get(grant.id);
    expect(after?.expiresAt).toBe((grant.expiresAt ?? 0) + 1800_000);
    expect((await auditTypes(h, grant.id)).filter((t) => t === "extended")).toHaveLength(1);
  });

  it("drops an extension still waiting when the grant expires, and refuses approving it after", async () => {
    const h = needing(2);
    const grant = await activeGrant(h);
    const id = (await extendGrant(h.deps, dev.slackId, grant.id, 1800)).extension?.id ?? "";
    h.clock.set((grant.expiresAt ?? 0) + 1_000);
    await expect(
      decideExtension(h.deps, admin.slackId, grant.id, id, { kind: "approve" }),
    ).rejects.toBeInstanceOf(RequestRefused);
    await sweepDue(h.deps);
    const ended = await h.store.get(grant.id);
    expect(ended?.status).toBe("ended");
    expect(ended?.extension?.status).toBe("dropped");
    expect(h.chat.extensionUpdates.at(-1)?.grant.extension?.status).toBe("dropped");
  });

  it("tells the requester of a denial, and lets the one who asked withdraw", async () => {
    const h = needing(2);
    const grant = await activeGrant(h);
    const id = (await extendGrant(h.deps, dev.slackId, grant.id, 1800)).extension?.id ?? "";
    await expect(
      decideExtension(h.deps, outsider.slackId, grant.id, id, { kind: "deny" }),
    ).rejects.toBeInstanceOf(NotAuthorised);
    const denied = await decideExtension(h.deps, admin.slackId, grant.id, id, { kind: "deny" });
    expect(denied.extension).toMatchObject({ status: "denied", decidedBy: admin.slackId });
    expect(h.chat.noticesFor(grant.id)).toContain("extension-denied");
    // A click on the old request's buttons changes nothing.
    await expect(
      decideExtension(h.deps, admin2.slackId, grant.id, id, { kind: "approve" }),
    ).rejects.toBeInstanceOf(RequestRefused);
    const again = await extendGrant(h.deps, dev.slackId, grant.id, 900);
    const withdrawn = await decideExtension(h.deps, dev.slackId, grant.id, again.extension?.id ?? "", {
      kind: "deny",
    });
    expect(withdrawn.extension).toMatchObject({ status: "denied", reason: "withdrawn by the one who asked" });
  });

  it("refuses a second extension while one waits, and one past the rule's maximum", async () => {
    const h = needing(2);
    const grant = await activeGrant(h);
    await expect(extendGrant(h.deps, dev.slackId, grant.id, 4 * 3600)).rejects.toBeInstanceOf(RequestRefused);
    await extendGrant(h.deps, dev.slackId, grant.id, 1800);
    await expect(extendGrant(h.deps, dev.slackId, grant.id, 900)).rejects.toThrow(/already waiting/);
    const refusals = (await h.store.auditOf(grant.id)).filter((e) => e.type === "refused");
    expect(refusals).toHaveLength(2);
  });
});

describe("extend", () => {
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

  it("records a refused extension in the grant's audit trail", async () => {
    const h = harness();
    const grant = await activeProdAdmin(h);
    await expect(extendGrant(h.deps, admin.slackId, grant.id, 5 * 3600)).rejects.toBeInstanceOf(
      RequestRefused,
    );
    expect((await h.store.auditOf(grant.id)).map((e) => e.type)).toContain("refused");
  });
});
