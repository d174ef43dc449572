import type { AccessConfig } from "../domain/config.js";
import type { AssignmentTarget, AssignmentTuple, AuditEvent, Grant, GrantStatus } from "../domain/grant.js";

/** Epoch milliseconds; tests move it instead of sleeping. */
export interface Clock {
  now(): number;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** A grant write that must only happen if nobody changed the grant (and its tuple) since it was read. */
export interface GrantChange {
  grant: Grant;
  expect: { status: GrantStatus; version: number };
  audit: AuditEvent[];
  /** Written in the same transaction; `expectVersion` undefined means the tuple must not exist yet. */
  tuple?: { next: AssignmentTuple; expectVersion: number | undefined };
  /** Slack messages this change causes, recorded in the same transaction and delivered later. */
  notices?: Notice[];
  /**
   * The same for every retry of this change: a write whose answer was lost is recognised as already applied
   * (DynamoDB's ClientRequestToken, and the token kept on the grant).
   */
  token?: string;
}

/** What a notice tells Slack; rendered by the Chat adapter when it is delivered. */
export type NoticeBody =
  /** The approval request in its channel; delivering it attaches the message to the grant. */
  | { kind: "post-request"; channel: string }
  /** Re-render the approval message from the grant as it is when delivered. */
  | { kind: "update-request" }
  | { kind: "dm"; notice: RequesterNotice }
  | { kind: "audit"; channel: string; event: AuditEvent };

/** A Slack message owed: recorded with the state change that causes it, sent by the notice sender. */
export interface Notice {
  /** `<grant id>#<grant version>#<n>`: the same on every retry of the write that records it. */
  id: string;
  grantId: string;
  /** The grant as the change wrote it. */
  grant: Grant;
  body: NoticeBody;
  createdAt: number;
  state: "pending" | "sent" | "dropped";
  /** When the sender may next try it (pending only). */
  dueAt?: number;
  attempts: number;
  lastError?: string;
  /** Incremented on every write; conditional writes check it. */
  version: number;
}

/** An audit event with whom and what it concerns, copied from its grant (or a refusal's detail) when written. */
export interface AuditEntry {
  event: AuditEvent;
  /** The requester's email, lower-cased. */
  requester?: string;
  /** The account alias, lower-cased. */
  account?: string;
  permissionSet?: string;
}

/** A stretch of the audit trail: epoch ms, both ends included; filters match lower-cased values exactly. */
export interface AuditQuery {
  from: number;
  to: number;
  requester?: string;
  account?: string;
}

/** Grants, their audit trail and assignment tuples (DynamoDB in production). */
export interface GrantStore {
  /** Stores a new grant with its audit events and notices; fails if the id exists. */
  create(grant: Grant, audit: AuditEvent[], notices?: Notice[]): Promise<void>;
  get(id: string): Promise<Grant | undefined>;
  /** Conditional on status and version; throws GrantChangedConcurrently (or TupleChangedConcurrently). */
  save(change: GrantChange): Promise<void>;
  getTuple(target: AssignmentTarget): Promise<AssignmentTuple | undefined>;
  /** Conditional on version (undefined: must not exist); throws TupleChangedConcurrently. */
  saveTuple(next: AssignmentTuple, expectVersion: number | undefined): Promise<void>;
  /** Grants whose dueAt is at or before `before`, oldest first. */
  due(before: number, cursor?: string, limit?: number): Promise<Page<Grant>>;
  /** A requester's grants, newest first. */
  byRequester(slackId: string, limit?: number): Promise<Grant[]>;
  auditOf(grantId: string): Promise<AuditEvent[]>;
  /** A refusal that never became a grant (bad input, no rule, not eligible). */
  recordRefusal(event: AuditEvent): Promise<void>;
  /** Audit events (refusals too) from `query.from` to `query.to`, oldest first, read through the audit index. */
  auditBetween(query: AuditQuery, cursor?: string, limit?: number): Promise<Page<AuditEntry>>;
  /** Pending notices whose dueAt is at or before `before`, oldest first. */
  dueNotices(before: number, limit?: number): Promise<Notice[]>;
  /** A grant's pending notices, due or not, in the order they were recorded. */
  noticesOf(grantId: string): Promise<Notice[]>;
  /** Conditional on version; throws NoticeChangedConcurrently when someone else changed it first. */
  saveNotice(next: Notice, expectVersion: number): Promise<void>;
}

/** Whose work an Identity Center call serves: revocations go first and have a reserved share of the quotas. */
export type Priority = "revoke" | "grant";

export type OperationKind = "creation" | "deletion";

/** An accepted CreateAccountAssignment or DeleteAccountAssignment, still to be polled. */
export interface AssignmentRequest {
  requestId: string;
}

/** Where an asynchronous creation or deletion stands when `awaitOperation` returns. */
export type OperationOutcome =
  | { status: "succeeded"; requestId: string }
  /** Identity Center's FAILED status, with its FailureReason (for the log and audit trail, not for Slack). */
  | { status: "failed"; requestId: string; reason: string }
  /** Still IN_PROGRESS when the caller's deadline came: ask again later, never send a second request. */
  | { status: "in-progress"; requestId: string };

/**
 * IAM Identity Center: identities, group membership and account assignments. Failures are ServiceErrors:
 * AssignmentRefused when Identity Center said no for good, a retryable one for throttling and outages.
 */
export interface IdentityCenter {
  /** Identity Center user id for an email, case-insensitively; undefined when none. */
  userIdByEmail(email: string): Promise<string | undefined>;
  /** Which of the named groups the user belongs to. */
  groupsOf(userId: string, groupNames: readonly string[]): Promise<string[]>;
  /** Whether a USER assignment exists for the target. */
  assignmentExists(target: AssignmentTarget, priority?: Priority): Promise<boolean>;
  /** Sends CreateAccountAssignment for the USER assignment, without waiting for it to finish. */
  startCreation(target: AssignmentTarget): Promise<AssignmentRequest>;
  /**
   * Sends DeleteAccountAssignment for an assignment the tuple proves the bot created and nobody holds
   * (throws UnsafeDeletion before any call otherwise); `gone` when Identity Center has no such assignment.
   */
  startDeletion(tuple: AssignmentTuple): Promise<AssignmentRequest | { gone: true }>;
  /** Polls a request (batched with other waiters) until SUCCEEDED or FAILED, or until `until` (epoch ms). */
  awaitOperation(kind: OperationKind, requestId: string, until: number): Promise<OperationOutcome>;
  /** A request for this target still IN_PROGRESS, if any: found after a crash between the call and its record. */
  findInProgress(kind: OperationKind, target: AssignmentTarget): Promise<string | undefined>;
}

/** A Slack user's profile, as far as the bot needs it. */
export interface ChatUser {
  slackId: string;
  email?: string;
  /** IANA time zone, e.g. Europe/Berlin. */
  tz?: string;
}

/** What the requester is told about their grant. */
export type RequesterNotice =
  | "requested"
  | "granted"
  | "denied"
  | "failed"
  | "reminder"
  | "expired"
  | "revoked"
  | "extended"
  | "timed-out"
  | "cancelled";

export interface MessageRef {
  channel: string;
  ts: string;
}

/** Slack, as the use cases need it; views are rendered by the adapter. */
export interface Chat {
  user(slackId: string): Promise<ChatUser>;
  /** Posts the approval request (with buttons unless already decided) in the rule's channel. */
  postRequest(grant: Grant, channel: string): Promise<MessageRef>;
  /** Re-renders the approval request after a decision or a change. */
  updateRequest(ref: MessageRef, grant: Grant): Promise<void>;
  notifyRequester(grant: Grant, notice: RequesterNotice, config: AccessConfig): Promise<void>;
  /** A line in the audit channel, when configured. */
  audit(channel: string, grant: Grant, event: AuditEvent): Promise<void>;
}

/** Makes sure the expiry pass runs for a grant at a time (timer in-process, EventBridge Scheduler on AWS). */
export interface RevocationScheduler {
  schedule(grantId: string, at: number): Promise<void>;
  cancel(grantId: string): Promise<void>;
}

/** Structured log; never given secrets. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}
