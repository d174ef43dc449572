import { describe, expect, it } from "vitest";
import { handleCommand } from "../../../src/app/command.js";
import { decideGrant } from "../../../src/app/decide.js";
import { requestAccess } from "../../../src/app/request.js";
import { NotAuthorised, RequestRefused, UnknownUser } from "../../../src/domain/errors.js";
import { aRule, harness, PEOPLE } from "../../support/app-harness.js";
import { ADMIN, exampleConfig, PROD, READ_ONLY, STAGING } from "../../support/example-config.js";

const { dev, admin, admin2, lead, outsider, ghost } = PEOPLE;
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

describe("request access", () => {
  it("stores a pending grant, posts it in the rule's channel and schedules its time-out", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    expect(grant).toMatchObject({
      status: "pending",
      rule: "prod-admin",
      account: { id: PROD, alias: "prod" },
    });
    expect(h.chat.posted).toHaveLength(1);
    expect(h.chat.posted[0]?.channel).toBe("C0PRODADMIN");
    expect(h.scheduler.scheduled.get(grant.id)).toBe(h.clock.now() + 7200_000);
    expect((await h.store.get(grant.id))?.message).toEqual({ channel: "C0PRODADMIN", ts: "1.000100" });
    expect((await h.store.auditOf(grant.id)).map((e) => e.type)).toEqual(["requested"]);
    expect(h.chat.audits.map((a) => [a.channel, a.event.type])).toEqual([["C0AUDIT", "requested"]]);
    expect(h.identity.count("create")).toBe(0);
  });

  it("grants at once where the rule auto-approves, still posting to the channel", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, {
      account: "staging",
      permissionSet: "readonly",
      reason: "x",
    });
    const stored = await h.store.get(grant.id);
    expect(stored?.status).toBe("active");
    expect(h.identity.has(target(dev.userId, STAGING, READ_ONLY))).toBe(true);
    expect(h.chat.posted[0]?.channel).toBe("C0APPROVALS");
    expect(h.chat.noticesFor(grant.id)).toContain("granted");
    expect((await h.store.auditOf(grant.id)).map((e) => e.type)).toEqual([
      "requested",
      "auto-approved",
      "activated",
    ]);
  });

  it.each([
    ["the management account by alias", { account: "root", permissionSet: "ReadOnly" }, /management account/],
    ["a duration above the rule's maximum", { ...prodAdmin, durationSeconds: 5 * 3600 }, /4h/],
    ["a duration below the minimum", { ...prodAdmin, durationSeconds: 300 }, /15m/],
  ])("refuses %s, records the refusal and changes nothing", async (_name, ask, message) => {
    const h = harness();
    await expect(requestAccess(h.deps, dev.slackId, { reason: "r", ...ask })).rejects.toThrow(message);
    expect(await h.store.byRequester(dev.slackId)).toEqual([]);
    expect(h.chat.posted).toEqual([]);
    expect(h.identity.count("create")).toBe(0);
  });

  it("refuses a Slack user with no Identity Center user", async () => {
    const h = harness();
    await expect(requestAccess(h.deps, ghost.slackId, prodAdmin)).rejects.toBeInstanceOf(UnknownUser);
  });
});

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
});

describe("handle command", () => {
  it.each(["prod Admin 4x fixing", "prdo ReadOnly 1h x", "list extra", "revoke", "extend abcdefgh"])(
    "refuses %j with a message, records it and changes nothing",
    async (text) => {
      const h = harness();
      await expect(handleCommand(h.deps, dev.slackId, text)).rejects.toBeInstanceOf(RequestRefused);
      expect(await h.store.byRequester(dev.slackId)).toEqual([]);
      expect(h.chat.posted).toEqual([]);
    },
  );

  it("requests access from the command text", async () => {
    const h = harness();
    const result = await handleCommand(h.deps, dev.slackId, "PROD administratoraccess 2h fixing INC-123");
    expect(result).toMatchObject({
      kind: "requested",
      grants: [{ durationSeconds: 7200, reason: "fixing INC-123" }],
    });
  });

  it("opens the modal when arguments are missing", async () => {
    const h = harness();
    expect(await handleCommand(h.deps, dev.slackId, "prod")).toEqual({
      kind: "modal",
      prefill: { accounts: ["prod"] },
    });
  });
});
