import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { requestAccess } from "../../../src/app/request.js";
import { driveGrant, isOverdue } from "../../../src/app/sweep.js";
import { NotAuthorised } from "../../../src/domain/errors.js";
import type { Grant } from "../../../src/domain/grant.js";
import { aRule, harness, PEOPLE } from "../../support/app-harness.js";
import { exampleConfig } from "../../support/example-config.js";
import {
  HARNESS_START as NOW,
  prodAdminAsk,
  requestByCommand as request,
  target,
} from "../../support/use-cases.js";

const { dev, admin, admin2, lead, outsider } = PEOPLE;
const prodAdmin = prodAdminAsk("INC-123");
const MINUTE = 60_000;

describe("decide", () => {
  it("grants after an authorised approval and tells the requester", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    const active = await h.store.get(grant.id);
    expect(active).toMatchObject({ status: "active", activatedAt: h.clock.now(), preExisting: false });
    expect(active?.expiresAt).toBe(h.clock.now() + 3600_000);
    expect(h.identity.has(target(dev.userId))).toBe(true);
    expect(h.chat.noticesFor(grant.id)).toEqual(["granted"]);
    expect(h.chat.updates.at(-1)?.grant.status).toBe("active");
    expect(h.scheduler.scheduled.get(grant.id)).toBe(h.clock.now() + 3600_000 - 600_000);
  });

  it("accepts an approver listed by email, case-insensitively", async () => {
    const h = harness(
      exampleConfig({ rules: [aRule({ approvers: { groups: [], emails: ["ADMIN2@example.com"] } })] }),
    );
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin2.slackId, grant.id, { kind: "approve" });
    expect((await h.store.get(grant.id))?.status).toBe("active");
  });

  it("refuses the requester approving their own request and records it", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, admin.slackId, prodAdmin);
    await expect(decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" })).rejects.toBeInstanceOf(
      NotAuthorised,
    );
    expect((await h.store.get(grant.id))?.status).toBe("pending");
    expect(h.identity.count("create")).toBe(0);
    const refused = (await h.store.auditOf(grant.id)).find((e) => e.type === "refused");
    expect(refused).toMatchObject({ actor: admin.slackId });
    expect(refused?.reason).toMatch(/approve refused/);
  });

  it("lets the requester approve their own request where the rule allows it", async () => {
    const h = harness(exampleConfig({ rules: [aRule({ allowSelfApproval: true })] }));
    const grant = await requestAccess(h.deps, admin.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    expect((await h.store.get(grant.id))?.status).toBe("active");
  });

  it("refuses someone who is not an approver of the rule", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await expect(decideGrant(h.deps, outsider.slackId, grant.id, { kind: "approve" })).rejects.toThrow(
      /cannot approve/,
    );
    expect((await h.store.get(grant.id))?.approvals).toEqual([]);
  });

  it("needs distinct approvers for a quorum of two", async () => {
    const h = harness(exampleConfig({ rules: [aRule({ approvalsRequired: 2 })] }));
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    await expect(decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" })).rejects.toBeInstanceOf(
      NotAuthorised,
    );
    expect((await h.store.get(grant.id))?.status).toBe("pending");
    await decideGrant(h.deps, lead.slackId, grant.id, { kind: "approve" });
    expect((await h.store.get(grant.id))?.status).toBe("active");
  });

  it("creates exactly one assignment when five approvers click at once", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    const clicks = [admin, admin2, lead, admin, admin2].map((who) =>
      decideGrant(h.deps, who.slackId, grant.id, { kind: "approve" }),
    );
    const results = await Promise.allSettled(clicks);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(h.identity.count("create")).toBe(1);
    expect((await h.store.get(grant.id))?.status).toBe("active");
  });

  it("denies with the approver's reason and tells the requester", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "deny", reason: "use staging" });
    expect(await h.store.get(grant.id)).toMatchObject({ status: "denied", outcomeReason: "use staging" });
    expect(h.chat.noticesFor(grant.id)).toEqual(["denied"]);
    await expect(decideGrant(h.deps, admin2.slackId, grant.id, { kind: "approve" })).rejects.toThrow(
      /already denied/,
    );
  });

  it("refuses an approval that comes after the request timed out, and times it out", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    h.clock.advance(7200_000);
    await expect(decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" })).rejects.toThrow(
      /timed out/,
    );
    expect((await h.store.get(grant.id))?.status).toBe("timed-out");
    expect(h.identity.count("create")).toBe(0);
  });

  it("cancels when the requester clicks Deny on their own request", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, dev.slackId, grant.id, { kind: "deny" });
    expect((await h.store.get(grant.id))?.status).toBe("cancelled");
  });

  it("counts one person approving from two Slack accounts once towards the quorum", async () => {
    const h = harness(exampleConfig({ rules: [aRule({ approvalsRequired: 2 })] }));
    h.chat.addUser("U0ADMINALT", admin.email);
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    await expect(decideGrant(h.deps, "U0ADMINALT", grant.id, { kind: "approve" })).rejects.toBeInstanceOf(
      NotAuthorised,
    );
    expect((await h.store.get(grant.id))?.status).toBe("pending");
  });

  it("refuses a deny reason over the limit and changes nothing", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await expect(
      decideGrant(h.deps, admin.slackId, grant.id, { kind: "deny", reason: "x".repeat(501) }),
    ).rejects.toThrow(/501 characters; at most 500/);
    expect((await h.store.get(grant.id))?.status).toBe("pending");
  });

  it("reminds the requester before expiry by the rule's own reminderBefore", async () => {
    const base = exampleConfig();
    const rules = base.rules.map((r) =>
      r.name === "prod-admin" ? aRule({ reminderBeforeSeconds: 1800 }) : r,
    );
    const h = harness({ ...base, rules });
    const grant = await requestAccess(h.deps, PEOPLE.dev.slackId, {
      account: "prod",
      permissionSet: "ReadOnly",
      durationSeconds: 3600,
      reason: "INC-2",
    });
    await decideGrant(h.deps, PEOPLE.admin.slackId, grant.id, { kind: "approve" });
    const active = await h.store.get(grant.id);
    expect(active?.dueAt).toBe((active?.expiresAt ?? 0) - 30 * MINUTE);
  });
});

describe("a request with a scheduled start", () => {
  const AT_14_BERLIN = Date.UTC(2026, 10, 27, 13, 0);
  const HOUR = 3600_000;

  it("creates nothing when approved before the start, and is woken at the start by the scheduler", async () => {
    const h = harness();
    const grant = await request(h, "prod AdministratorAccess 2h at 14:00 INC-42");
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    const waiting = await h.store.get(grant.id);
    expect(waiting).toMatchObject({ status: "provisioning", dueAt: AT_14_BERLIN });
    expect(h.scheduler.scheduled.get(grant.id)).toBe(AT_14_BERLIN);
    await driveGrant(h.deps, grant.id);
    expect(h.identity.count("create")).toBe(0);
    h.clock.set(AT_14_BERLIN - 60_000);
    expect(isOverdue((await h.store.get(grant.id)) as Grant, h.clock.now())).toBe(false);
  });

  it("starts at once when it is approved after its start", async () => {
    const h = harness();
    const grant = await request(h, "prod AdministratorAccess 1h in 30m INC-42");
    h.clock.set(NOW + HOUR);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    expect((await h.store.get(grant.id))?.status).toBe("active");
  });
});
