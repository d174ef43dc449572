import { IllegalTransition } from "./errors.js";
import { type Approval, type AuditEvent, type Grant, type GrantStatus, SYSTEM_ACTOR } from "./grant.js";

/** Everything that can happen to a grant; each legal one yields the next grant and its audit event. */
export type GrantEvent =
  | { type: "approve"; by: Approval }
  | { type: "auto-approve" }
  | { type: "deny"; by: string; reason?: string }
  | { type: "cancel"; by: string }
  | { type: "time-out" }
  | { type: "claim"; until: number }
  | { type: "activate"; preExisting: boolean; requestId?: string }
  | { type: "fail"; reason: string }
  | { type: "retry-later"; reason: string; at: number }
  | { type: "extend"; by: string; addSeconds: number }
  | { type: "remind" }
  | { type: "attach-message"; channel: string; ts: string }
  | { type: "revoke"; by: string; reason: string; expired: boolean }
  | { type: "end"; requestId?: string; deleted: boolean };

export type GrantEventType = GrantEvent["type"];

/** Which events each status accepts: the lifecycle of DESIGN.md as a table. */
export const TRANSITIONS: Readonly<Record<GrantStatus, readonly GrantEventType[]>> = {
  pending: ["approve", "auto-approve", "deny", "cancel", "time-out", "attach-message"],
  provisioning: ["claim", "activate", "fail", "retry-later", "attach-message"],
  active: ["extend", "remind", "revoke", "attach-message"],
  revoking: ["claim", "end", "retry-later", "attach-message"],
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
  /** Undefined for bookkeeping steps (claim, attach-message) that decide nothing. */
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
      const quorum = people.size >= grant.approvalsRequired;
      const next: Grant = quorum
        ? {
            ...base,
            approvals,
            status: "provisioning",
            decidedAt: now,
            decidedBy: event.by.slackId,
            dueAt: now,
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
        { ...base, status: "provisioning", decidedAt: now, dueAt: now },
        SYSTEM_ACTOR,
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
    case "claim":
      return { grant: { ...base, dueAt: event.until } };
    case "activate": {
      const expiresAt = now + grant.durationSeconds * 1000;
      const next: Grant = {
        ...base,
        status: "active",
        activatedAt: now,
        expiresAt,
        preExisting: event.preExisting,
      };
      delete next.attempts;
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
        withoutDue({ ...base, status: "failed", outcomeReason: event.reason }),
        SYSTEM_ACTOR,
        event.reason,
      );
    case "retry-later": {
      const attempts = (grant.attempts ?? 0) + 1;
      const type = grant.status === "revoking" ? "revoke-failed" : "provisioning";
      return audit(type, { ...base, attempts, dueAt: event.at }, SYSTEM_ACTOR, event.reason, {
        attempts,
        retryAt: event.at,
      });
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
    case "revoke":
      return audit(
        event.expired ? "expired" : "revoke-requested",
        {
          ...base,
          status: "revoking",
          dueAt: now,
          outcomeReason: event.reason,
          decidedBy: event.by,
          attempts: 0,
        },
        event.by,
        event.reason,
      );
    case "end": {
      const next = withoutDue({ ...base, status: "ended", endedAt: now });
      delete next.attempts;
      if (event.requestId !== undefined) next.deleteRequestId = event.requestId;
      return audit("revoked", next, SYSTEM_ACTOR, grant.outcomeReason, { assignmentDeleted: event.deleted });
    }
  }
}

function withoutDue(grant: Grant): Grant {
  const next = { ...grant };
  delete next.dueAt;
  return next;
}

function reasonOf(reason: string | undefined): Partial<Grant> {
  return reason === undefined ? {} : { outcomeReason: reason };
}
