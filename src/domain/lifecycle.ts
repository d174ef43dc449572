import { IllegalTransition } from "./errors.js";
import {
  type Approval,
  type AuditEvent,
  type ExtensionRequest,
  type Grant,
  type GrantIn,
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
  /**
   * `at`: when the assignment was known to exist, when earlier than now (a resumed poll). `sessionSeconds`: the
   * permission set's session duration, as the driver read it.
   */
  | { type: "activate"; preExisting: boolean; requestId?: string; at?: number; sessionSeconds?: number }
  /** `reason` is what the requester is told; `cause` is Identity Center's own words, for the audit trail. */
  | { type: "fail"; reason: string; cause?: string }
  /**
   * `code` names the situation: a retry in the same situation is not audited again. `nothingSent`: Identity Center
   * answered (refused the call, or the request ended FAILED), so no request of this grant is on its way and the
   * next try sends afresh without waiting for one.
   */
  | { type: "retry-later"; reason: string; at: number; code?: string; nothingSent?: boolean; cause?: string }
  | { type: "extend"; by: string; addSeconds: number }
  /** An extension the rule's approvers must decide; `approval` when the one asking is one of them. */
  | { type: "request-extension"; by: string; addSeconds: number; required: number; approval?: Approval }
  /** One approver's yes to the waiting extension: the quorum extends the grant. */
  | { type: "approve-extension"; by: Approval }
  | { type: "deny-extension"; by: string; reason?: string }
  | { type: "attach-extension-message"; channel: string; ts: string }
  /** The approvers of a pending request are reminded of it, once. */
  | { type: "nudge" }
  | { type: "remind" }
  | { type: "attach-message"; channel: string; ts: string }
  | { type: "revoke"; by: string; reason: string; expired: boolean }
  | { type: "end"; requestId?: string; deleted: boolean };

export type GrantEventType = GrantEvent["type"];

/** Which events each status accepts: the lifecycle of DESIGN.md as a table. */
export const TRANSITIONS: Readonly<Record<GrantStatus, readonly GrantEventType[]>> = {
  pending: ["approve", "release", "auto-approve", "deny", "cancel", "time-out", "nudge", "attach-message"],
  provisioning: ["claim", "op-accepted", "activate", "fail", "retry-later", "revoke", "attach-message"],
  active: [
    "extend",
    "request-extension",
    "approve-extension",
    "deny-extension",
    "attach-extension-message",
    "remind",
    "revoke",
    "attach-message",
  ],
  revoking: ["claim", "op-accepted", "end", "retry-later", "attach-message", "attach-extension-message"],
  ended: ["attach-message", "attach-extension-message"],
  denied: ["attach-message"],
  cancelled: ["attach-message"],
  "timed-out": ["attach-message"],
  failed: ["attach-message"],
};

export interface LifecycleSettings {
  /** DM the requester this long before expiry; 0 turns it off. */
  reminderBeforeSeconds: number;
  /** Remind the approvers of a pending request this long after it was asked; 0 or absent: never. */
  approverReminderSeconds?: number;
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

/**
 * When the sweep must look at a pending grant next: the approvers' reminder (once its message is posted to reply to),
 * else whatever was due before (the time-out).
 */
export function pendingDueAt(grant: Grant, settings: LifecycleSettings): number | undefined {
  const later = grant.dueAt ?? grant.timeoutAt;
  const nudge = nudgeAt(grant, settings);
  return nudge === undefined ? later : Math.min(nudge, later);
}

/** When the approvers of a pending grant are to be reminded; undefined when never (again). */
export function nudgeAt(grant: Grant, settings: LifecycleSettings): number | undefined {
  const after = settings.approverReminderSeconds ?? 0;
  if (after <= 0 || grant.nudgedAt !== undefined || grant.message === undefined) return undefined;
  const at = grant.createdAt + after * 1000;
  return at < grant.timeoutAt ? at : undefined;
}

/** Applies one event to a grant; throws IllegalTransition when its status does not accept it. */
export function transition(
  grant: Grant,
  event: GrantEvent,
  now: number,
  settings: LifecycleSettings,
): Transitioned {
  if (!TRANSITIONS[grant.status].includes(event.type)) throw new IllegalTransition(grant.status, event.type);
  const step: Step = { grant, base: { ...grant, version: grant.version + 1 }, now, settings };
  // Each event has its handler; the cast pairs the event with the handler of its own type.
  const handle = HANDLERS[event.type] as Handler<GrantEvent>;
  return handle(step, event);
}

/** What every handler gets: the grant as it was, the next version of it to change, and the time. */
interface Step {
  grant: Grant;
  base: Grant;
  now: number;
  settings: LifecycleSettings;
}

/**
 * The next version of the grant, narrowed to the statuses that accept the handler's event (TRANSITIONS already let
 * only those through), so that what each status implies (an active grant's expiry) is known to the compiler.
 */
function nextIn<S extends GrantStatus>(step: Step, ...statuses: S[]): GrantIn<S> {
  const { base } = step;
  if (!(statuses as GrantStatus[]).includes(base.status))
    throw new IllegalTransition(base.status, statuses.join("|"));
  return base as GrantIn<S>;
}

type Handler<E extends GrantEvent> = (step: Step, event: E) => Transitioned;
type Handlers = { [T in GrantEventType]: Handler<Extract<GrantEvent, { type: T }>> };

/** The next grant with its audit event. */
function audited(
  step: Step,
  type: AuditEvent["type"],
  next: Grant,
  actor: string,
  reason?: string,
  detail?: AuditEvent["detail"],
): Transitioned {
  const event: AuditEvent = { grantId: step.grant.id, at: step.now, actor, type, status: next.status };
  if (reason !== undefined) event.reason = reason;
  if (detail !== undefined) event.detail = detail;
  return { grant: next, audit: event };
}

const HANDLERS: Handlers = {
  approve,
  "auto-approve": (step) =>
    audited(
      step,
      "auto-approved",
      {
        ...nextIn(step, "pending"),
        status: "provisioning",
        decidedAt: step.now,
        dueAt: startOf(step.grant, step.now),
      },
      SYSTEM_ACTOR,
    ),
  release: (step, event) =>
    audited(
      step,
      "approved",
      {
        ...nextIn(step, "pending"),
        status: "provisioning",
        decidedAt: step.now,
        decidedBy: event.by,
        dueAt: startOf(step.grant, step.now),
      },
      event.by,
      `every part of request ${event.requestId} has its approvals`,
      {
        approvals: step.grant.approvals.length,
        required: step.grant.approvalsRequired,
        requestId: event.requestId,
      },
    ),
  deny: (step, event) =>
    audited(
      step,
      "denied",
      withoutDue({
        ...nextIn(step, "pending"),
        status: "denied",
        decidedAt: step.now,
        decidedBy: event.by,
        ...reasonOf(event.reason),
      }),
      event.by,
      event.reason,
    ),
  cancel: (step, event) =>
    audited(
      step,
      "cancelled",
      withoutDue({
        ...nextIn(step, "pending"),
        status: "cancelled",
        decidedAt: step.now,
        decidedBy: event.by,
      }),
      event.by,
    ),
  "time-out": (step) =>
    audited(
      step,
      "timed-out",
      withoutDue({ ...nextIn(step, "pending"), status: "timed-out", decidedAt: step.now }),
      SYSTEM_ACTOR,
    ),
  claim,
  "op-accepted": ({ grant, base }, event) => {
    if (!grant.op) throw new IllegalTransition(grant.status, "op-accepted without a recorded operation");
    return { grant: { ...base, op: { ...grant.op, requestId: event.requestId } } };
  },
  activate,
  fail: (step, event) =>
    audited(
      step,
      "failed",
      settled(withoutDue({ ...nextIn(step, "provisioning"), status: "failed", outcomeReason: event.reason })),
      SYSTEM_ACTOR,
      event.reason,
      event.cause === undefined ? undefined : { cause: event.cause },
    ),
  "retry-later": retryLater,
  extend,
  "request-extension": requestExtension,
  "approve-extension": approveExtension,
  "deny-extension": denyExtension,
  "attach-extension-message": ({ grant, base }, event) => {
    if (!grant.extension) return { grant: base };
    const message = { channel: event.channel, ts: event.ts };
    return { grant: { ...base, extension: { ...grant.extension, message } } };
  },
  nudge: (step) =>
    audited(step, "nudged", { ...step.base, nudgedAt: step.now, dueAt: step.grant.timeoutAt }, SYSTEM_ACTOR),
  remind: (step) => {
    const next: Grant = { ...step.base, reminded: true };
    next.dueAt = activeDueAt(next, step.settings);
    return audited(step, "reminded", next, SYSTEM_ACTOR);
  },
  "attach-message": ({ base, settings }, event) => {
    const next: Grant = { ...base, message: { channel: event.channel, ts: event.ts } };
    // Posted: now there is a thread to remind the approvers in.
    if (next.status === "pending") next.dueAt = pendingDueAt(next, settings);
    return { grant: next };
  },
  revoke,
  end: (step, event) => {
    const next = settled(withoutDue({ ...nextIn(step, "revoking"), status: "ended", endedAt: step.now }));
    if (event.requestId !== undefined) next.deleteRequestId = event.requestId;
    return audited(step, "revoked", next, SYSTEM_ACTOR, step.grant.outcomeReason, {
      assignmentDeleted: event.deleted,
    });
  },
};

function approve(step: Step, event: Extract<GrantEvent, { type: "approve" }>): Transitioned {
  const { grant, now } = step;
  const base = nextIn(step, "pending");
  const approvals = [...grant.approvals, event.by];
  // Distinct people, by email: one approver clicking from two Slack accounts counts once.
  const quorum = distinctPeople(approvals) >= grant.approvalsRequired && event.wait !== true;
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
  return audited(step, "approved", next, event.by.slackId, undefined, {
    approvals: approvals.length,
    required: grant.approvalsRequired,
  });
}

function claim({ grant, base, now }: Step, event: Extract<GrantEvent, { type: "claim" }>): Transitioned {
  const next: Grant = { ...base, dueAt: event.until };
  // A new intent, or a fresh one for a request not yet accepted: its time bounds when it may still be sent.
  if (event.op && (grant.op?.kind !== event.op || grant.op.requestId === undefined)) {
    next.op = { kind: event.op, startedAt: now };
  }
  return { grant: next };
}

function activate(step: Step, event: Extract<GrantEvent, { type: "activate" }>): Transitioned {
  const { grant, now } = step;
  const base = nextIn(step, "provisioning");
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
  if (event.sessionSeconds !== undefined) next.sessionSeconds = event.sessionSeconds;
  next.dueAt = activeDueAt(next, step.settings);
  return audited(step, "activated", next, SYSTEM_ACTOR, undefined, {
    preExisting: event.preExisting,
    expiresAt,
    ...(event.requestId ? { requestId: event.requestId } : {}),
  });
}

function retryLater(step: Step, event: Extract<GrantEvent, { type: "retry-later" }>): Transitioned {
  const { grant, base, now } = step;
  const attempts = (grant.attempts ?? 0) + 1;
  const code = event.code ?? event.reason;
  const same = grant.trouble?.code === code;
  const next: Grant = {
    ...base,
    attempts,
    dueAt: event.at,
    trouble: same && grant.trouble ? grant.trouble : { code, since: now },
  };
  if (event.nothingSent) delete next.op;
  // One audit row per change of situation, not one per attempt.
  if (same) return { grant: next };
  const type = grant.status === "revoking" ? "revoke-failed" : "provisioning";
  const detail = { attempts, retryAt: event.at, code, ...(event.cause ? { cause: event.cause } : {}) };
  return audited(step, type, next, SYSTEM_ACTOR, event.reason, detail);
}

function extend(step: Step, event: Extract<GrantEvent, { type: "extend" }>): Transitioned {
  const base = nextIn(step, "active");
  const expiresAt = base.expiresAt + event.addSeconds * 1000;
  const next: Grant = {
    ...base,
    expiresAt,
    durationSeconds: base.durationSeconds + event.addSeconds,
    reminded: false,
  };
  next.dueAt = activeDueAt(next, step.settings);
  return audited(step, "extended", next, event.by, undefined, { addSeconds: event.addSeconds, expiresAt });
}

function requestExtension(
  step: Step,
  event: Extract<GrantEvent, { type: "request-extension" }>,
): Transitioned {
  const extension: ExtensionRequest = {
    id: `e${step.base.version}`,
    by: event.by,
    addSeconds: event.addSeconds,
    requestedAt: step.now,
    required: event.required,
    approvals: event.approval ? [event.approval] : [],
    status: "pending",
  };
  return audited(step, "extension-requested", { ...step.base, extension }, event.by, undefined, {
    addSeconds: event.addSeconds,
    approvals: extension.approvals.length,
    required: event.required,
  });
}

function approveExtension(
  step: Step,
  event: Extract<GrantEvent, { type: "approve-extension" }>,
): Transitioned {
  const { grant, now } = step;
  const base = nextIn(step, "active");
  const waiting = pendingExtension(grant, event.type);
  const approvals = [...waiting.approvals, event.by];
  const detail = { approvals: approvals.length, required: waiting.required, addSeconds: waiting.addSeconds };
  if (distinctPeople(approvals) < waiting.required) {
    const next = { ...base, extension: { ...waiting, approvals } };
    return audited(step, "extension-approved", next, event.by.slackId, undefined, detail);
  }
  const expiresAt = base.expiresAt + waiting.addSeconds * 1000;
  const next: Grant = {
    ...base,
    expiresAt,
    durationSeconds: grant.durationSeconds + waiting.addSeconds,
    reminded: false,
    extension: { ...waiting, approvals, status: "approved", decidedBy: event.by.slackId, decidedAt: now },
  };
  next.dueAt = activeDueAt(next, step.settings);
  return audited(step, "extended", next, event.by.slackId, undefined, {
    ...detail,
    expiresAt,
    requestedBy: waiting.by,
  });
}

function denyExtension(step: Step, event: Extract<GrantEvent, { type: "deny-extension" }>): Transitioned {
  const waiting = pendingExtension(step.grant, event.type);
  const extension: ExtensionRequest = {
    ...waiting,
    status: "denied",
    decidedBy: event.by,
    decidedAt: step.now,
    ...(event.reason === undefined ? {} : { reason: event.reason }),
  };
  return audited(step, "extension-denied", { ...step.base, extension }, event.by, event.reason, {
    addSeconds: waiting.addSeconds,
    requestedBy: waiting.by,
  });
}

function revoke(step: Step, event: Extract<GrantEvent, { type: "revoke" }>): Transitioned {
  const { grant, now } = step;
  const next: Grant = {
    ...nextIn(step, "provisioning", "active"),
    status: "revoking",
    dueAt: now,
    outcomeReason: event.reason,
    decidedBy: event.by,
    attempts: 0,
  };
  delete next.trouble;
  // An extension still waiting can no longer be granted.
  if (grant.extension?.status === "pending") {
    next.extension = { ...grant.extension, status: "dropped", decidedAt: now };
  }
  return audited(step, event.expired ? "expired" : "revoke-requested", next, event.by, event.reason);
}

/** The extension waiting for a decision; throws when there is none. */
function pendingExtension(grant: Grant, type: GrantEventType): ExtensionRequest {
  if (grant.extension?.status !== "pending") {
    throw new IllegalTransition(grant.status, `${type} without a waiting extension`);
  }
  return grant.extension;
}

/** Distinct people among approvals, by email: one approver clicking from two Slack accounts counts once. */
export function distinctPeople(approvals: readonly Approval[]): number {
  return new Set(approvals.map((a) => (a.email ? a.email.toLowerCase() : a.slackId))).size;
}

/** When an approved grant is first due: at once, or at its scheduled start. */
function startOf(grant: Grant, now: number): number {
  return Math.max(now, grant.startsAt ?? now);
}

/** A grant with nothing under way any more: no operation, no trouble, no attempts. */
function settled<G extends Grant>(grant: G): G {
  const next = { ...grant };
  delete next.op;
  delete next.trouble;
  delete next.attempts;
  return next;
}

function withoutDue<G extends Grant>(grant: G): G {
  const next = { ...grant };
  delete next.dueAt;
  return next;
}

function reasonOf(reason: string | undefined): { outcomeReason?: string } {
  return reason === undefined ? {} : { outcomeReason: reason };
}
