import { describe, expect, it } from "vitest";
import { IllegalTransition } from "../../../src/domain/errors.js";
import type { GrantStatus } from "../../../src/domain/grant.js";
import { activeDueAt, type GrantEvent, TRANSITIONS, transition } from "../../../src/domain/lifecycle.js";
import { aGrant, EVERY_STATUS } from "../../support/grant-builder.js";

const NOW = Date.UTC(2030, 0, 15, 10, 0, 0);
const settings = { reminderBeforeSeconds: 600 };
const approval = { slackId: "U0APPROVER", email: "boss@example.com", at: NOW };

const EVENTS: Record<GrantEvent["type"], GrantEvent> = {
  approve: { type: "approve", by: approval },
  release: { type: "release", by: "U0APPROVER", requestId: "r-k7m2x9qa" },
  "auto-approve": { type: "auto-approve" },
  deny: { type: "deny", by: "U0APPROVER", reason: "not now" },
  cancel: { type: "cancel", by: "U0REQUESTER" },
  "time-out": { type: "time-out" },
  claim: { type: "claim", until: NOW + 300_000 },
  "op-accepted": { type: "op-accepted", requestId: "req-0" },
  activate: { type: "activate", preExisting: false, requestId: "req-1" },
  fail: { type: "fail", reason: "Identity Center said FAILED" },
  "retry-later": { type: "retry-later", reason: "throttled", at: NOW + 2_000 },
  extend: { type: "extend", by: "U0APPROVER", addSeconds: 1800 },
  "request-extension": { type: "request-extension", by: "U0REQUESTER", addSeconds: 1800, required: 2 },
  "approve-extension": { type: "approve-extension", by: approval },
  "deny-extension": { type: "deny-extension", by: "U0APPROVER" },
  "attach-extension-message": { type: "attach-extension-message", channel: "C0APPROVALS", ts: "1.3" },
  nudge: { type: "nudge" },
  remind: { type: "remind" },
  "attach-message": { type: "attach-message", channel: "C0APPROVALS", ts: "1.2" },
  revoke: { type: "revoke", by: "system", reason: "expired", expired: true },
  end: { type: "end", deleted: true, requestId: "req-2" },
};

/** Where each legal (status, event) pair leads. */
const LEGAL: [GrantStatus, GrantEvent["type"], GrantStatus][] = [
  ["pending", "approve", "provisioning"],
  ["pending", "release", "provisioning"],
  ["pending", "auto-approve", "provisioning"],
  ["pending", "deny", "denied"],
  ["pending", "cancel", "cancelled"],
  ["pending", "time-out", "timed-out"],
  ["pending", "nudge", "pending"],
  ["pending", "attach-message", "pending"],
  ["provisioning", "claim", "provisioning"],
  ["provisioning", "op-accepted", "provisioning"],
  ["provisioning", "revoke", "revoking"],
  ["provisioning", "activate", "active"],
  ["provisioning", "fail", "failed"],
  ["provisioning", "retry-later", "provisioning"],
  ["provisioning", "attach-message", "provisioning"],
  ["active", "extend", "active"],
  ["active", "request-extension", "active"],
  ["active", "approve-extension", "active"],
  ["active", "deny-extension", "active"],
  ["active", "attach-extension-message", "active"],
  ["active", "remind", "active"],
  ["active", "revoke", "revoking"],
  ["active", "attach-message", "active"],
  ["revoking", "claim", "revoking"],
  ["revoking", "op-accepted", "revoking"],
  ["revoking", "end", "ended"],
  ["revoking", "retry-later", "revoking"],
  ["revoking", "attach-message", "revoking"],
  ["revoking", "attach-extension-message", "revoking"],
  ["ended", "attach-extension-message", "ended"],
  ...(["ended", "denied", "cancelled", "timed-out", "failed"] as const).map(
    (status) => [status, "attach-message", status] as [GrantStatus, GrantEvent["type"], GrantStatus],
  ),
];

const legalKeys = new Set(LEGAL.map(([from, event]) => `${from}:${event}`));
const ILLEGAL = EVERY_STATUS.flatMap((status) =>
  (Object.keys(EVENTS) as GrantEvent["type"][])
    .filter((event) => !legalKeys.has(`${status}:${event}`))
    .map((event) => [status, event] as const),
);

/** An extension two approvers must decide, nobody has yet. */
const waitingExtension = {
  id: "e2",
  by: "U0REQUESTER",
  addSeconds: 1800,
  requestedAt: NOW,
  required: 2,
  approvals: [],
  status: "pending" as const,
};

function grantIn(status: GrantStatus) {
  return aGrant({
    status,
    version: 3,
    ...(status === "provisioning" || status === "revoking"
      ? { op: { kind: "creation", startedAt: NOW } }
      : {}),
    activatedAt: NOW - 3600_000,
    expiresAt: NOW + 3600_000,
    outcomeReason: status === "revoking" ? "expired" : undefined,
    ...(status === "active" ? { extension: waitingExtension } : {}),
  });
}

describe("grant lifecycle", () => {
  it("lists exactly the legal transitions in its table", () => {
    const table = EVERY_STATUS.flatMap((status) =>
      TRANSITIONS[status].map((event) => `${status}:${event}`),
    ).sort();
    expect(table).toEqual([...legalKeys].sort());
  });

  it.each(LEGAL)("moves %s on %s to %s, bumping the version", (from, type, to) => {
    const grant = grantIn(from);
    const { grant: next, audit } = transition(grant, EVENTS[type], NOW, settings);
    expect(next.status).toBe(to);
    expect(next.version).toBe(grant.version + 1);
    const bookkeeping = ["claim", "op-accepted", "attach-message", "attach-extension-message"];
    if (bookkeeping.includes(type)) {
      expect(audit).toBeUndefined();
    } else {
      expect(audit).toMatchObject({ grantId: grant.id, at: NOW, status: to });
      expect(audit?.actor).toMatch(/^(system|U0)/);
    }
  });

  it.each(ILLEGAL)("refuses %s on %s", (from, type) => {
    expect(() => transition(grantIn(from), EVENTS[type], NOW, settings)).toThrow(IllegalTransition);
  });

  it("stays pending until the quorum of distinct people is reached, counting one email once", () => {
    const grant = aGrant({ approvalsRequired: 2 });
    const first = transition(grant, EVENTS.approve, NOW, settings).grant;
    expect(first.status).toBe("pending");
    const again = transition(first, EVENTS.approve, NOW, settings).grant;
    expect(again.status).toBe("pending");
    const samePerson = { ...approval, slackId: "U0ALTACCOUNT", email: "BOSS@example.com" };
    expect(transition(again, { type: "approve", by: samePerson }, NOW, settings).grant.status).toBe(
      "pending",
    );
    const other = { ...approval, slackId: "U0OTHER", email: "other@example.com" };
    const second = transition(again, { type: "approve", by: other }, NOW, settings);
    expect(second.grant.status).toBe("provisioning");
    expect(second.grant.dueAt).toBe(NOW);
  });

  it("counts the duration from activation, not from the request", () => {
    const grant = aGrant({ status: "provisioning", createdAt: NOW - 7200_000, durationSeconds: 4 * 3600 });
    const { grant: active, audit } = transition(grant, EVENTS.activate, NOW, settings);
    expect(active.activatedAt).toBe(NOW);
    expect(active.expiresAt).toBe(NOW + 4 * 3600_000);
    expect(audit?.detail).toMatchObject({ preExisting: false, requestId: "req-1" });
  });

  it("is due for the reminder first, then for the expiry", () => {
    const grant = aGrant({ status: "provisioning", durationSeconds: 3600 });
    const active = transition(grant, EVENTS.activate, NOW, settings).grant;
    expect(active.dueAt).toBe(NOW + 3600_000 - 600_000);
    const reminded = transition(active, EVENTS.remind, NOW + 3000_000, settings).grant;
    expect(reminded.dueAt).toBe(NOW + 3600_000);
    expect(activeDueAt(reminded, { reminderBeforeSeconds: 0 })).toBe(NOW + 3600_000);
  });

  it("skips the reminder when it is turned off or longer than the grant", () => {
    const grant = aGrant({ status: "provisioning", durationSeconds: 300 });
    expect(transition(grant, EVENTS.activate, NOW, settings).grant.dueAt).toBe(NOW + 300_000);
    expect(transition(grant, EVENTS.activate, NOW, { reminderBeforeSeconds: 0 }).grant.dueAt).toBe(
      NOW + 300_000,
    );
  });

  it("moves the expiry on an extension and asks for a new reminder", () => {
    const active = { ...grantIn("active"), reminded: true };
    const { grant, audit } = transition(active, EVENTS.extend, NOW, settings);
    expect(grant.expiresAt).toBe(NOW + 3600_000 + 1800_000);
    expect(grant.reminded).toBe(false);
    expect(audit).toMatchObject({ type: "extended", actor: "U0APPROVER" });
  });

  it("leaves the due index on every terminal status", () => {
    for (const type of ["deny", "cancel", "time-out"] as const) {
      expect(transition(grantIn("pending"), EVENTS[type], NOW, settings).grant.dueAt).toBeUndefined();
    }
    expect(transition(grantIn("provisioning"), EVENTS.fail, NOW, settings).grant.dueAt).toBeUndefined();
    expect(transition(grantIn("revoking"), EVENTS.end, NOW, settings).grant.dueAt).toBeUndefined();
  });

  it("records the reason of a denial and of a failure", () => {
    expect(transition(grantIn("pending"), EVENTS.deny, NOW, settings)).toMatchObject({
      grant: { outcomeReason: "not now", decidedBy: "U0APPROVER" },
      audit: { type: "denied", reason: "not now" },
    });
    expect(transition(grantIn("provisioning"), EVENTS.fail, NOW, settings).audit).toMatchObject({
      type: "failed",
      reason: "Identity Center said FAILED",
    });
  });

  it("audits an expiry apart from an early revoke", () => {
    expect(transition(grantIn("active"), EVENTS.revoke, NOW, settings).audit?.type).toBe("expired");
    const early = { type: "revoke", by: "U0REQUESTER", reason: "done", expired: false } as const;
    expect(transition(grantIn("active"), early, NOW, settings).audit).toMatchObject({
      type: "revoke-requested",
      actor: "U0REQUESTER",
    });
  });

  it("counts failed attempts and audits a failed revocation", () => {
    const { grant, audit } = transition(grantIn("revoking"), EVENTS["retry-later"], NOW, settings);
    expect(grant.attempts).toBe(1);
    expect(grant.dueAt).toBe(NOW + 2_000);
    expect(audit).toMatchObject({ type: "revoke-failed", reason: "throttled" });
  });
});
