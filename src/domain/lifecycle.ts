import { IllegalTransition } from "./errors.js";
import {
  type Approval,
  type AuditEvent,
  type Grant,
  type GrantOperation,
  type GrantStatus,
  SYSTEM_ACTOR,
} from "./grant.js";

/** Everything that can happen to a grant; each legal one yields the next grant and its audit event. */
export type GrantEvent =
  /** `wait`: one part of a request whose other parts still need approvals; it stays pending even at quorum. */
  | { type: "approve"; by: Approval; wait?: boolean }
  /** A part already at quorum goes on because `by` gave its request the last approval it needed. */
  | { type: "release"; by: string; requestId: string }
  | { type: "auto-approve" }
  | { type: "deny"; by: string; reason?: string }
  | { type: "cancel"; by: string }
  | { type: "time-out" }
  /** A driver takes the grant until `until`; with `op`, it records that it is about to send that request. */
  | { type: "claim"; until: number; op?: GrantOperation["kind"] }
  /** Identity Center accepted the grant's creation or deletion request. */
  | { type: "op-accepted"; requestId: string }
  /** `at`: when the assignment was known to exist, when earlier than now (a resumed poll). */
  | { type: "activate"; preExisting: boolean; requestId?: string; at?: number }
  /** `reason` is what the requester is told; `cause` is Identity Center's own words, for the audit trail. */
  | { type: "fail"; reason: string; cause?: string }
  /** `code` names the situation: a retry in the same situation is not audited again. */
  | { type: "retry-later"; reason: string; at: number; code?: string }
  | { type: "extend"; by: string; addSeconds: number }
  | { type: "remind" }
  | { type: "attach-message"; channel: string; ts: string }
  | { type: "revoke"; by: string; reason: string; expired: boolean }
  | { type: "end"; requestId?: string; deleted: boolean };

export type GrantEventType = GrantEvent["type"];

/** Which events each status accepts: the lifecycle of DESIGN.md as a table. */
export const TRANSITIONS: Readonly<Record<GrantStatus, readonly GrantEventType[]>> = {
  pending: ["approve", "release", "auto-approve", "deny", "cancel", "time-out", "attach-message"],
  provisioning: ["claim", "op-accepted", "activate", "fail", "retry-later", "revoke", "attach-message"],
  active: ["extend", "remind", "revoke", "attach-message"],
  revoking: ["claim", "op-accepted", "end", "retry-later", "attach-message"],
  ended: ["attach-message"],
  denied: ["attach-message"],
  cancelled: ["attach-message"],
  "timed-out": ["attach-message"],
  failed: ["attach-message"],
};

export interface LifecycleSettings {
  /** DM the requester this long before expiry; 0 turns it off. */
  reminderBeforeSeconds: number;
}

export interface Transitioned {
  grant: Grant;
  /** Undefined for bookkeeping steps (claim, op-accepted, attach-message, a repeated retry) that decide nothing. */
  audit?: AuditEvent;
}

/** When the sweep must look at an active grant next: the reminder, else the expiry. */
export function activeDueAt(grant: Grant, settings: LifecycleSettings): number | undefined {
  if (grant.expiresAt === undefined) return undefined;
  const remindAt = grant.expiresAt - settings.reminderBeforeSeconds * 1000;
  const remind = settings.reminderBeforeSeconds > 0 && !grant.reminded && remindAt > (grant.activatedAt ?? 0);
  return remind ? remindAt : grant.expiresAt;
}

/** Applies one event to a grant; throws IllegalTransition when its status does not accept it. */
export function transition(
  grant: Grant,
  event: GrantEvent,
  now: number,
  settings: LifecycleSettings,
): Transitioned {
  if (!TRANSITIONS[grant.status].includes(event.type)) throw new IllegalTransition(grant.status, event.type);
  const base: Grant = { ...grant, version: grant.version + 1 };
  const audit = (
    type: AuditEvent["type"],
    next: Grant,
    actor: string,
    reason?: string,
    detail?: AuditEvent["detail"],
  ) => {
    const event: AuditEvent = { grantId: grant.id, at: now, actor, type, status: next.status };
    if (reason !== undefined) event.reason = reason;
    if (detail !== undefined) event.detail = detail;
    return { grant: next, audit: event };
  };
  switch (event.type) {
    case "approve": {
      const approvals = [...grant.approvals, event.by];
      // Distinct people, by email: one approver clicking from two Slack accounts counts once.
      const people = new Set(approvals.map((a) => (a.email ? a.email.toLowerCase() : a.slackId)));
      const quorum = people.size >= grant.approvalsRequired && event.wait !== true;
      const next: Grant = quorum
        ? {
            ...base,
            approvals,
            status: "provisioning",
            decidedAt: now,
            decidedBy: event.by.slackId,
            dueAt: startOf(grant, now),
          }
        : { ...base, approvals };
      return audit("approved", next, event.by.slackId, undefined, {
        approvals: approvals.length,
        required: grant.approvalsRequired,
      });
    }
    case "auto-approve":
      return audit(
        "auto-approved",
        { ...base, status: "provisioning", decidedAt: now, dueAt: startOf(grant, now) },
        SYSTEM_ACTOR,
      );
    case "release":
      return audit(
        "approved",
        { ...base, status: "provisioning", decidedAt: now, decidedBy: event.by, dueAt: startOf(grant, now) },
        event.by,
        `every part of request ${event.requestId} has its approvals`,
        { approvals: grant.approvals.length, required: grant.approvalsRequired, requestId: event.requestId },
      );
    case "deny":
      return audit(
        "denied",
        withoutDue({
          ...base,
          status: "denied",
          decidedAt: now,
          decidedBy: event.by,
          ...reasonOf(event.reason),
        }),
        event.by,
        event.reason,
      );
    case "cancel":
      return audit(
        "cancelled",
        withoutDue({ ...base, status: "cancelled", decidedAt: now, decidedBy: event.by }),
        event.by,
      );
    case "time-out":
      return audit("timed-out", withoutDue({ ...base, status: "timed-out", decidedAt: now }), SYSTEM_ACTOR);
    case "claim": {
      const next: Grant = { ...base, dueAt: event.until };
      if (event.op && grant.op?.kind !== event.op) next.op = { kind: event.op, startedAt: now };
      return { grant: next };
    }
    case "op-accepted": {
      if (!grant.op) throw new IllegalTransition(grant.status, "op-accepted without a recorded operation");
      return { grant: { ...base, op: { ...grant.op, requestId: event.requestId } } };
    }
    case "activate": {
      const activatedAt = Math.min(event.at ?? now, now);
      const expiresAt = activatedAt + grant.durationSeconds * 1000;
      const next: Grant = settled({
        ...base,
        status: "active",
        activatedAt,
        expiresAt,
        preExisting: event.preExisting,
      });
      if (event.requestId !== undefined) next.createRequestId = event.requestId;
      next.dueAt = activeDueAt(next, settings);
      return audit("activated", next, SYSTEM_ACTOR, undefined, {
        preExisting: event.preExisting,
        expiresAt,
        ...(event.requestId ? { requestId: event.requestId } : {}),
      });
    }
    case "fail":
      return audit(
        "failed",
        settled(withoutDue({ ...base, status: "failed", outcomeReason: event.reason })),
        SYSTEM_ACTOR,
        event.reason,
        event.cause === undefined ? undefined : { cause: event.cause },
      );
    case "retry-later": {
      const attempts = (grant.attempts ?? 0) + 1;
      const code = event.code ?? event.reason;
      const same = grant.trouble?.code === code;
      const next: Grant = {
        ...base,
        attempts,
        dueAt: event.at,
        trouble: same && grant.trouble ? grant.trouble : { code, since: now },
      };
      // One audit row per change of situation, not one per attempt.
      if (same) return { grant: next };
      const type = grant.status === "revoking" ? "revoke-failed" : "provisioning";
      return audit(type, next, SYSTEM_ACTOR, event.reason, { attempts, retryAt: event.at, code });
    }
    case "extend": {
      const expiresAt = (grant.expiresAt ?? now) + event.addSeconds * 1000;
      const next: Grant = {
        ...base,
        expiresAt,
        durationSeconds: grant.durationSeconds + event.addSeconds,
        reminded: false,
      };
      next.dueAt = activeDueAt(next, settings);
      return audit("extended", next, event.by, undefined, { addSeconds: event.addSeconds, expiresAt });
    }
    case "remind": {
      const next: Grant = { ...base, reminded: true };
      next.dueAt = activeDueAt(next, settings);
      return audit("reminded", next, SYSTEM_ACTOR);
    }
    case "attach-message":
      return { grant: { ...base, message: { channel: event.channel, ts: event.ts } } };
    case "revoke": {
      const next: Grant = {
        ...base,
        status: "revoking",
        dueAt: now,
        outcomeReason: event.reason,
        decidedBy: event.by,
        attempts: 0,
      };
      delete next.trouble;
      return audit(event.expired ? "expired" : "revoke-requested", next, event.by, event.reason);
    }
    case "end": {
      const next = settled(withoutDue({ ...base, status: "ended", endedAt: now }));
      if (event.requestId !== undefined) next.deleteRequestId = event.requestId;
      return audit("revoked", next, SYSTEM_ACTOR, grant.outcomeReason, { assignmentDeleted: event.deleted });
    }
  }
}

/** When an approved grant is first due: at once, or at its scheduled start. */
function startOf(grant: Grant, now: number): number {
  return Math.max(now, grant.startsAt ?? now);
}

/** A grant with nothing under way any more: no operation, no trouble, no attempts. */
function settled(grant: Grant): Grant {
  const next = { ...grant };
  delete next.op;
  delete next.trouble;
  delete next.attempts;
  return next;
}

function withoutDue(grant: Grant): Grant {
  const next = { ...grant };
  delete next.dueAt;
  return next;
}

function reasonOf(reason: string | undefined): Partial<Grant> {
  return reason === undefined ? {} : { outcomeReason: reason };
}
