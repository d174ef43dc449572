import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { requestAccess } from "../../../src/app/request.js";
import { sweepDue } from "../../../src/app/sweep.js";
import { aRule, harness, PEOPLE } from "../../support/app-harness.js";
import { exampleConfig } from "../../support/example-config.js";
import { prodAdminAsk } from "../../support/use-cases.js";

const { dev, admin, admin2, lead } = PEOPLE;
const MINUTE = 60_000;
const prodAdmin = prodAdminAsk("INC-9");

/** The harness with the example rules, approvers reminded after `minutes` (by default, or by the rule). */
function withReminder(minutes: { defaults?: number; rule?: number; approvalsRequired?: number } = {}) {
  const base = exampleConfig();
  const rules = base.rules.map((rule) =>
    rule.name === "prod-admin"
      ? aRule({
          approvalsRequired: minutes.approvalsRequired ?? 1,
          ...(minutes.rule === undefined ? {} : { approverReminderSeconds: minutes.rule * 60 }),
        })
      : rule,
  );
  const defaults = { ...base.defaults, approverReminderSeconds: (minutes.defaults ?? 30) * 60 };
  return harness({ ...base, defaults, rules });
}

describe("approver reminders", () => {
  it("replies once in the request's thread after 30 minutes, mentioning the listed and group approvers", async () => {
    const h = withReminder();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    expect((await h.store.get(grant.id))?.dueAt).toBe(grant.createdAt + 30 * MINUTE);
    h.clock.advance(29 * MINUTE);
    await sweepDue(h.deps);
    expect(h.chat.nudges).toEqual([]);
    h.clock.advance(MINUTE);
    await sweepDue(h.deps);
    expect(h.chat.nudges).toHaveLength(1);
    const [nudge] = h.chat.nudges;
    expect(nudge?.ref).toEqual((await h.store.get(grant.id))?.message);
    expect(nudge?.approvers.slackIds.sort()).toEqual([admin.slackId, admin2.slackId, lead.slackId].sort());
    expect(nudge?.approvers.more).toBe(false);
    const audit = await h.store.auditOf(grant.id);
    expect(audit.filter((e) => e.type === "nudged")).toEqual([
      expect.objectContaining({ actor: "system", status: "pending" }),
    ]);
    expect(h.scheduler.scheduled.get(grant.id)).toBe(grant.timeoutAt);
    h.clock.advance(30 * MINUTE);
    await sweepDue(h.deps);
    expect(h.chat.nudges).toHaveLength(1);
  });

  it("leaves out the requester and whoever already approved", async () => {
    const h = withReminder({ approvalsRequired: 2 });
    h.identity.addUser(dev.email, dev.userId, ["Organization Administrators"]);
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    h.clock.advance(30 * MINUTE);
    await sweepDue(h.deps);
    expect(h.chat.nudges[0]?.approvers.slackIds.sort()).toEqual([admin2.slackId, lead.slackId].sort());
  });

  it("mentions at most ten approvers and says there are more", async () => {
    const h = withReminder();
    for (let i = 0; i < 14; i++) {
      h.identity.addUser(`member${i}@example.com`, `u-member${i}`, ["Organization Administrators"]);
      h.chat.addUser(`U0MEMBER${i}`, `member${i}@example.com`);
    }
    await requestAccess(h.deps, dev.slackId, prodAdmin);
    h.clock.advance(30 * MINUTE);
    await sweepDue(h.deps);
    expect(h.chat.nudges[0]?.approvers.slackIds).toHaveLength(10);
    expect(h.chat.nudges[0]?.approvers.more).toBe(true);
  });

  it("follows the rule's own reminder time, and 0 turns reminders off", async () => {
    const early = withReminder({ rule: 5 });
    const grant = await requestAccess(early.deps, dev.slackId, prodAdmin);
    expect((await early.store.get(grant.id))?.dueAt).toBe(grant.createdAt + 5 * MINUTE);
    early.clock.advance(5 * MINUTE);
    await sweepDue(early.deps);
    expect(early.chat.nudges).toHaveLength(1);

    const off = withReminder({ rule: 0 });
    const quiet = await requestAccess(off.deps, dev.slackId, prodAdmin);
    expect((await off.store.get(quiet.id))?.dueAt).toBe(quiet.timeoutAt);
    off.clock.advance(90 * MINUTE);
    await sweepDue(off.deps);
    expect(off.chat.nudges).toEqual([]);
  });

  it("does not remind anyone of a request decided in time", async () => {
    const h = withReminder();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    h.clock.advance(31 * MINUTE);
    await sweepDue(h.deps);
    expect(h.chat.nudges).toEqual([]);
    expect((await h.store.auditOf(grant.id)).some((e) => e.type === "nudged")).toBe(false);
  });

  it("drops the reminder's wake-up, with the time-out's, when the request is denied before it", async () => {
    const h = withReminder();
    const cancelled: Array<number | undefined> = [];
    h.deps.scheduler = {
      schedule: async () => {},
      cancel: async (_grantId, at) => {
        cancelled.push(at);
      },
    };
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "deny", reason: "not now" });
    expect(cancelled).toEqual([grant.createdAt + 30 * MINUTE, grant.timeoutAt]);
  });

  it("waits for the approval message to exist before it reminds in its thread", async () => {
    const h = withReminder();
    h.chat.down = true;
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    expect(h.scheduler.scheduled.get(grant.id)).toBe(grant.timeoutAt);
    h.clock.advance(40 * MINUTE);
    await sweepDue(h.deps);
    expect((await h.store.get(grant.id))?.nudgedAt).toBeUndefined();
    h.chat.down = false;
    h.clock.advance(MINUTE);
    await h.deps.notices.kick();
    expect(h.scheduler.scheduled.get(grant.id)).toBe(grant.createdAt + 30 * MINUTE);
    await sweepDue(h.deps);
    expect(h.chat.nudges).toHaveLength(1);
  });
});
