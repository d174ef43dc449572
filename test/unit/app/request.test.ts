import { describe, expect, it } from "vitest";
import { requestAccess } from "../../../src/app/request.js";
import { UnknownUser } from "../../../src/domain/errors.js";
import { harness, PEOPLE } from "../../support/app-harness.js";
import { PROD, READ_ONLY, STAGING } from "../../support/example-config.js";
import { prodAdminAsk, target } from "../../support/use-cases.js";

const { dev, ghost } = PEOPLE;
const prodAdmin = prodAdminAsk("INC-123");

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

  it("records a request from someone Identity Center does not know", async () => {
    const h = harness();
    await expect(requestAccess(h.deps, ghost.slackId, prodAdmin)).rejects.toBeInstanceOf(UnknownUser);
    const day = new Date(h.clock.now()).toISOString().slice(0, 10);
    expect((await h.store.refusalsOn(day)).map((e) => e.actor)).toContain(ghost.slackId);
  });
});
