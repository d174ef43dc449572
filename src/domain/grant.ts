/** Where a grant is in its lifecycle (DESIGN.md, "Grant lifecycle"). */
export type GrantStatus =
  | "pending"
  | "provisioning"
  | "active"
  | "revoking"
  | "ended"
  | "denied"
  | "cancelled"
  | "timed-out"
  | "failed";

/** Statuses from which nothing moves on. */
export const TERMINAL_STATUSES: readonly GrantStatus[] = [
  "ended",
  "denied",
  "cancelled",
  "timed-out",
  "failed",
];

/** A Slack user acting on a grant, with the Identity Center identity matched by email. */
export interface Person {
  slackId: string;
  email: string;
  /** Identity Center user id, when resolved. */
  userId?: string;
}

export interface Approval {
  slackId: string;
  email: string;
  at: number;
}

/** The (user, account, permission set) an assignment is for. */
export interface AssignmentTarget {
  userId: string;
  accountId: string;
  permissionSetArn: string;
}

/**
 * One request for temporary access and everything that happened to it; times are epoch milliseconds. Its status says
 * which of its times exist: an active grant always has its activation and expiry, one never activated has neither.
 */
export type Grant = GrantIn<GrantStatus>;

/** A grant in one of `S`'s statuses, with the times that status implies. */
export type GrantIn<S extends GrantStatus> = S extends GrantStatus
  ? GrantFields & { status: S } & ActivationIn<S>
  : never;

/** Access given and not yet taken back: it ends at `expiresAt`. */
export type ActiveGrant = GrantIn<"active">;

/**
 * An active grant has been activated and expires; one being revoked or ended was activated unless it was revoked
 * while its assignment was still being created; any other was never activated.
 */
type ActivationIn<S extends GrantStatus> = S extends "active"
  ? { activatedAt: number; expiresAt: number }
  : S extends "revoking" | "ended"
    ? { activatedAt?: number; expiresAt?: number }
    : { activatedAt?: undefined; expiresAt?: undefined };

/** What a grant has whatever its status. */
export interface GrantFields {
  id: string;
  /** Incremented on every write; conditional writes check it. */
  version: number;
  requester: Person & { userId: string };
  account: { id: string; alias: string; name?: string };
  permissionSet: { arn: string; name: string };
  rule: string;
  reason: string;
  durationSeconds: number;
  approvalsRequired: number;
  allowSelfApproval: boolean;
  approvals: Approval[];
  createdAt: number;
  /** Pending requests time out at this time. */
  timeoutAt: number;
  /** One part of a request of several (account, permission set) parts: the parts share it and one decision. */
  requestId?: string;
  /** Scheduled start: once approved the grant waits in provisioning until then; its duration counts from activation. */
  startsAt?: number;
  decidedAt?: number;
  decidedBy?: string;
  endedAt?: number;
  /** When the sweep must next look at this grant (timeout, reminder, expiry or retry); absent when terminal. */
  dueAt?: number;
  /** Reminder before expiry already sent. */
  reminded?: boolean;
  /** Approval message in Slack. */
  message?: { channel: string; ts: string };
  createRequestId?: string;
  deleteRequestId?: string;
  /** The user assignment existed before this grant: it is never deleted. */
  preExisting?: boolean;
  /**
   * The permission set's session duration when access was given, read by the driver that activated the grant: the
   * requester's DMs say until when open AWS sessions may last without asking Identity Center again.
   */
  sessionSeconds?: number;
  /** Why it was denied, failed or revoked. */
  outcomeReason?: string;
  /** Failed attempts in a row (provisioning or revocation), for backoff. */
  attempts?: number;
  /**
   * The Identity Center creation or deletion under way for this grant: recorded before the call is sent, and its
   * request id once accepted, so a driver that takes over polls it instead of sending a second one.
   */
  op?: GrantOperation;
  /** What keeps going wrong with this grant's provisioning or revocation, audited once per change of situation. */
  trouble?: { code: string; since: number };
  /** When the approvers were reminded of this pending request (once per request). */
  nudgedAt?: number;
  /** The latest extension asked for under a rule that needs approval: waiting, or how it was decided. */
  extension?: ExtensionRequest;
}

/** An extension of an active grant that the approvers of its rule decide, with the rule's own quorum. */
export interface ExtensionRequest {
  /** Names this request in its buttons, so a click on an older one changes nothing. */
  id: string;
  /** Who asked (Slack user id). */
  by: string;
  addSeconds: number;
  requestedAt: number;
  /** Distinct approvers needed, from the rule when it was asked for. */
  required: number;
  approvals: Approval[];
  /** `dropped`: the grant ended before anyone decided. */
  status: "pending" | "approved" | "denied" | "dropped";
  decidedBy?: string;
  decidedAt?: number;
  reason?: string;
  /** The threaded reply that asks the approvers. */
  message?: { channel: string; ts: string };
}

export interface GrantOperation {
  kind: "creation" | "deletion";
  /** When the intent was recorded (before the call). */
  startedAt: number;
  requestId?: string;
}

export type AuditType =
  | "requested"
  | "refused"
  | "approved"
  | "auto-approved"
  | "denied"
  | "cancelled"
  | "timed-out"
  | "provisioning"
  | "activated"
  | "failed"
  | "extended"
  | "extension-requested"
  | "extension-approved"
  | "extension-denied"
  | "reminded"
  | "nudged"
  | "revoke-requested"
  | "expired"
  | "revoked"
  | "revoke-failed";

/** One line of the audit trail: who did what to which grant, when and why. Append-only. */
export interface AuditEvent {
  /** Absent for refusals that never became a grant. */
  grantId?: string;
  at: number;
  /** Slack user id, or "system" for the bot itself. */
  actor: string;
  type: AuditType;
  reason?: string;
  /** Status after the event, when it changed one. */
  status?: GrantStatus;
  detail?: Record<string, string | number | boolean>;
}

/** State of one (user, account, permission set) assignment as far as the bot knows (invariants 1 and 2). */
export type TupleState = "absent" | "creating" | "present" | "deleting";

export interface AssignmentTuple {
  target: AssignmentTarget;
  state: TupleState;
  /** Active grants covering the assignment: it is deleted only when this becomes empty. */
  holders: string[];
  /** The assignment existed before the bot: never deleted. Undefined until checked. */
  preExisting?: boolean;
  /** The grant creating or deleting the assignment, and until when its claim holds. */
  lease?: { grantId: string; until: number };
  version: number;
}

export const SYSTEM_ACTOR = "system";
