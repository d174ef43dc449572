import { describe, expect, it } from "vitest";
import { nudgeAt, transition } from "../../../src/domain/lifecycle.js";
import { aGrant } from "../../support/grant-builder.js";

const NOW = Date.UTC(2030, 0, 15, 10, 0, 0);
const MINUTE = 60_000;
const settings = { reminderBeforeSeconds: 600, approverReminderSeconds: 1800 };

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
