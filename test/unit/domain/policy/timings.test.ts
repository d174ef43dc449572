import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../../src/app/decide.js";
import { requestAccess } from "../../../../src/app/request.js";
import { parseConfig } from "../../../../src/config/load.js";
import { nudgeAt, transition } from "../../../../src/domain/lifecycle.js";
import { timingsFor } from "../../../../src/domain/policy.js";
import { aRule, harness, PEOPLE } from "../../../support/app-harness.js";
import { edited, problemsOf } from "../../../support/config-fixtures.js";
import { exampleConfig } from "../../../support/example-config.js";
import { aGrant } from "../../../support/grant-builder.js";

const NOW = Date.UTC(2030, 0, 15, 10, 0, 0);
const MINUTE = 60_000;
const settings = { reminderBeforeSeconds: 600, approverReminderSeconds: 1800 };

describe("timings per rule", () => {
  it("reads requestTimeout, reminderBefore and approverReminder on a rule, and the approvers' reminder default", () => {
    const config = parseConfig(
      edited([
        [["rules", 1, "requestTimeout"], "30m"],
        [["rules", 1, "reminderBefore"], 0],
        [["rules", 1, "approverReminder"], "5m"],
      ]),
    );
    expect(config.defaults.approverReminderSeconds).toBe(1800);
    expect(timingsFor(config, config.rules[1]?.name)).toEqual({
      requestTimeoutSeconds: 1800,
      reminderBeforeSeconds: 0,
      approverReminderSeconds: 300,
    });
    expect(timingsFor(config, config.rules[0])).toEqual({
      requestTimeoutSeconds: config.defaults.requestTimeoutSeconds,
      reminderBeforeSeconds: config.defaults.reminderBeforeSeconds,
      approverReminderSeconds: 1800,
    });
    expect(timingsFor(config, "no-such-rule").approverReminderSeconds).toBe(1800);
  });

  it("turns the approvers' reminder off with 0 and refuses what is not a duration", () => {
    expect(
      parseConfig(edited([[["defaults"], { approverReminder: 0 }]])).defaults.approverReminderSeconds,
    ).toBe(0);
    expect(problemsOf(edited([[["rules", 1, "approverReminder"], "soon"]]))).toEqual([
      expect.stringMatching(/^rules\[1\]\.approverReminder: 'soon' is not a duration.*or 0 for off$/),
    ]);
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

describe("the approvers' reminder in the lifecycle", () => {
  it("is due once the approval message exists, and only once", () => {
    const pending = aGrant({ createdAt: NOW, timeoutAt: NOW + 120 * MINUTE, dueAt: NOW + 120 * MINUTE });
    expect(nudgeAt(pending, settings)).toBeUndefined();
    const posted = transition(
      pending,
      { type: "attach-message", channel: "C0A", ts: "1.1" },
      NOW,
      settings,
    ).grant;
    expect(posted.dueAt).toBe(NOW + 30 * MINUTE);
    const nudged = transition(posted, { type: "nudge" }, NOW + 30 * MINUTE, settings);
    expect(nudged.grant).toMatchObject({ nudgedAt: NOW + 30 * MINUTE, dueAt: NOW + 120 * MINUTE });
    expect(nudged.audit).toMatchObject({ type: "nudged", actor: "system" });
    expect(nudgeAt(nudged.grant, settings)).toBeUndefined();
  });

  it("is never due at or after the time-out, nor when turned off", () => {
    const posted = aGrant({
      createdAt: NOW,
      timeoutAt: NOW + 20 * MINUTE,
      message: { channel: "C0A", ts: "1" },
    });
    expect(nudgeAt(posted, settings)).toBeUndefined();
    expect(
      nudgeAt({ ...posted, timeoutAt: NOW + 60 * MINUTE }, { ...settings, approverReminderSeconds: 0 }),
    ).toBe(undefined);
  });
});

describe("extensions in the lifecycle", () => {
  const active = aGrant({ status: "active", activatedAt: NOW, expiresAt: NOW + 60 * MINUTE, version: 4 });
  const asked = transition(
    active,
    { type: "request-extension", by: "U0REQ", addSeconds: 1800, required: 2 },
    NOW,
    settings,
  );
  const boss = { slackId: "U0BOSS", email: "Boss@example.com", at: NOW };

  it("counts one person approving from two Slack accounts once, then extends on the quorum", () => {
    expect(asked.grant.extension).toMatchObject({ id: "e5", status: "pending", required: 2 });
    const one = transition(asked.grant, { type: "approve-extension", by: boss }, NOW, settings);
    const again = { ...boss, slackId: "U0BOSSALT", email: "boss@EXAMPLE.com" };
    const same = transition(one.grant, { type: "approve-extension", by: again }, NOW, settings);
    expect(same.grant.expiresAt).toBe(active.expiresAt);
    expect(same.audit?.type).toBe("extension-approved");
    const other = { slackId: "U0OTHER", email: "other@example.com", at: NOW };
    const done = transition(same.grant, { type: "approve-extension", by: other }, NOW, settings);
    expect(done.grant.expiresAt).toBe(NOW + 90 * MINUTE);
    expect(done.grant.dueAt).toBe(NOW + 80 * MINUTE);
    expect(done.audit).toMatchObject({
      type: "extended",
      actor: "U0OTHER",
      detail: { requestedBy: "U0REQ" },
    });
  });

  it("drops a waiting extension when the grant is revoked", () => {
    const revoked = transition(
      asked.grant,
      { type: "revoke", by: "system", reason: "expired", expired: true },
      NOW,
      settings,
    );
    expect(revoked.grant.extension).toMatchObject({ status: "dropped", decidedAt: NOW });
  });
});
