import type { AccessConfig, Rule } from "../domain/config.js";
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
}

/** Grants, their audit trail and assignment tuples (DynamoDB in production). */
export interface GrantStore {
  /** Stores a new grant; fails if the id exists. */
  create(grant: Grant, audit: AuditEvent[]): Promise<void>;
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
}

export interface AssignmentOutcome {
  requestId: string;
}

/** IAM Identity Center: identities, group membership and account assignments. */
export interface IdentityCenter {
  /** Identity Center user id for an email, case-insensitively; undefined when none. */
  userIdByEmail(email: string): Promise<string | undefined>;
  /** Which of the named groups the user belongs to. */
  groupsOf(userId: string, groupNames: readonly string[]): Promise<string[]>;
  /** Whether a USER assignment exists for the target. */
  assignmentExists(target: AssignmentTarget): Promise<boolean>;
  /** Creates the USER assignment and waits for SUCCEEDED; throws AssignmentFailed. */
  createAssignment(target: AssignmentTarget): Promise<AssignmentOutcome>;
  /** Deletes a USER assignment the bot created, per its tuple; throws UnsafeDeletion or AssignmentFailed. */
  deleteAssignment(tuple: AssignmentTuple): Promise<AssignmentOutcome>;
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
  postRequest(grant: Grant, rule: Rule, config: AccessConfig): Promise<MessageRef>;
  /** Re-renders the approval request after a decision or a change. */
  updateRequest(ref: MessageRef, grant: Grant, config: AccessConfig): Promise<void>;
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
