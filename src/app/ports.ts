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

/** A grant as it was read, which a write of other grants depends on: it must still be so when they are written. */
export interface GrantVersion {
  id: string;
  status: GrantStatus;
  version: number;
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
  | { kind: "audit"; channel: string; event: AuditEvent }
  /** One reply in the approval message's thread that mentions the approvers of a request still pending. */
  | { kind: "nudge" }
  /** The grant's extension request in the approval message's thread: posted once, then re-rendered. */
  | { kind: "extension" }
  /** Republishes the Home tab of everyone the change concerns (later changes to the same grant cover it). */
  | { kind: "home" };

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

/** A new grant with the audit events and notices it is stored with. */
export interface NewGrant {
  grant: Grant;
  audit: AuditEvent[];
  notices?: Notice[];
}

/** Grants, their audit trail and assignment tuples (DynamoDB in production). */
export interface GrantStore {
  /** Stores a new grant with its audit events and notices; fails if the id exists. */
  create(grant: Grant, audit: AuditEvent[], notices?: Notice[]): Promise<void>;
  /** Stores the parts of a request of several and the request linking them, all in one write; fails if any id exists. */
  createRequest(requestId: string, parts: NewGrant[]): Promise<void>;
  /** The grants of a request of several parts, in the order they were asked for; none for an unknown id. */
  requestParts(requestId: string): Promise<Grant[]>;
  get(id: string): Promise<Grant | undefined>;
  /** Conditional on status and version; throws GrantChangedConcurrently (or TupleChangedConcurrently). */
  save(change: GrantChange): Promise<void>;
  /**
   * Several changes (without tuples) written together or not at all, and only while each `unchanged` grant is still
   * at its status and version (nothing is written to those); a lost race throws as save does.
   */
  saveAll(changes: GrantChange[], unchanged?: readonly GrantVersion[]): Promise<void>;
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

/**
 * How a driver fences its creations and deletions: `intend` records the intent (renewing the driver's claim) and
 * returns the time by which the request must leave. The adapter calls it just before it takes a quota slot (a few
 * writes at a time, so the wait after it is short), and again whenever that time passes before a send (a long
 * wait for the slot, throttling retries): a request never leaves after another driver could have taken the grant
 * over.
 */
export interface SendOptions {
  /**
   * When the store answers after the window it returns, the intent is recorded afresh (a few times at most, or just
   * once with `once`, for a caller holding a rate token meanwhile); then it throws and nothing may be sent.
   */
  intend?: (options?: { once?: boolean }) => Promise<number>;
}

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
  /** `fresh`: asked of Identity Center now, not from a cache (authorising a click, a revocation, an extension). */
  groupsOf(userId: string, groupNames: readonly string[], options?: { fresh?: boolean }): Promise<string[]>;
  /** Emails of up to `limit` members of the named group (none when there is no such group). */
  groupMemberEmails?(groupName: string, limit: number): Promise<string[]>;
  /** Name and session duration (ISO-8601) of each permission set; `found: false` for an ARN it does not know. */
  describePermissionSets?(arns: readonly string[]): Promise<PermissionSetInfo[]>;
  /** Whether a USER assignment exists for the target. */
  assignmentExists(target: AssignmentTarget, priority?: Priority): Promise<boolean>;
  /** Sends CreateAccountAssignment for the USER assignment, without waiting for it to finish. */
  startCreation(target: AssignmentTarget, options?: SendOptions): Promise<AssignmentRequest>;
  /**
   * Sends DeleteAccountAssignment for an assignment the tuple proves the bot created and nobody holds
   * (throws UnsafeDeletion before any call otherwise); `gone` when Identity Center has no such assignment.
   */
  startDeletion(tuple: AssignmentTuple, options?: SendOptions): Promise<AssignmentRequest | { gone: true }>;
  /** Polls a request (batched with other waiters) until SUCCEEDED or FAILED, or until `until` (epoch ms). */
  awaitOperation(kind: OperationKind, requestId: string, until: number): Promise<OperationOutcome>;
  /** A request for this target still IN_PROGRESS, if any: found after a crash between the call and its record. */
  findInProgress(kind: OperationKind, target: AssignmentTarget): Promise<string | undefined>;
}

/** A permission set as Identity Center describes it. */
export type PermissionSetInfo =
  | { arn: string; found: true; name: string; sessionDuration: string }
  | { arn: string; found: false };

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
  | "extension-denied"
  | "timed-out"
  | "cancelled";

export interface MessageRef {
  channel: string;
  ts: string;
}

/** What a requester's DM says besides the event itself. */
export interface NoticeExtras {
  /** The permission set's session duration: AWS sessions already issued outlast the assignment by up to this. */
  sessionSeconds?: number;
  /** What the Extend button in the expiry reminder adds; no button when absent. */
  extendBySeconds?: number;
}

/** Approvers to mention: Slack ids (at most a handful), and whether more were left out. */
export interface Mentions {
  slackIds: string[];
  more: boolean;
}

/** What one person's Home tab shows; the Chat adapter renders it. */
export interface HomeContent {
  viewer: string;
  /** The viewer's own grants that are not over, newest first. */
  mine: Grant[];
  /** Pending requests the viewer may approve now. */
  toApprove: Grant[];
  /** Active grants whose waiting extension the viewer may approve. */
  extensionsToApprove: Grant[];
  /** Other people's active grants the viewer may end early. */
  revocable: Grant[];
  /** What a click on Extend adds to each of the viewer's active grants (grant id -> seconds). */
  extendBy: Record<string, number>;
  /** The outcome of the viewer's last click on the tab, as escaped mrkdwn. */
  notice?: string;
}

/** Slack, as the use cases need it; views are rendered by the adapter. */
export interface Chat {
  user(slackId: string): Promise<ChatUser>;
  /**
   * Posts the approval request (with buttons unless already decided) in the rule's channel; `parts`: every part of
   * a request of several, shown in one message.
   */
  postRequest(grant: Grant, channel: string, parts?: readonly Grant[]): Promise<MessageRef>;
  /** Re-renders the approval request after a decision or a change. */
  updateRequest(ref: MessageRef, grant: Grant, parts?: readonly Grant[]): Promise<void>;
  notifyRequester(
    grant: Grant,
    notice: RequesterNotice,
    config: AccessConfig,
    extras?: NoticeExtras,
  ): Promise<void>;
  /** A line in the audit channel, when configured. */
  audit(channel: string, grant: Grant, event: AuditEvent): Promise<void>;
  /* The rest are absent where Slack is not configured (the operator CLI without a bot token). */
  /** The Slack user with this email (users.lookupByEmail), if any. */
  userIdByEmail?(email: string): Promise<string | undefined>;
  /** A reply in the approval message's thread reminding the approvers of a pending request. */
  postNudge?(ref: MessageRef, grant: Grant, approvers: Mentions): Promise<void>;
  /** Posts the grant's extension request, in the thread of `thread` when given. */
  postExtension?(grant: Grant, channel: string, thread?: string): Promise<MessageRef>;
  /** Re-renders the extension request after a decision. */
  updateExtension?(ref: MessageRef, grant: Grant): Promise<void>;
  /** Publishes one person's Home tab. */
  publishHome?(slackId: string, home: HomeContent): Promise<void>;
  /**
   * One post in the audit channel about `actor`'s refusals (bad input, no rule, an unauthorised click): `refusal`
   * when one is shown, and how many more were held back by the channel's limit in the minute before.
   */
  auditRefusal?(
    channel: string,
    actor: string,
    refusal: AuditEvent | undefined,
    heldBack: number,
  ): Promise<void>;
}

/** Makes sure the expiry pass runs for a grant at a time (timer in-process, EventBridge Scheduler on AWS). */
export interface RevocationScheduler {
  schedule(grantId: string, at: number): Promise<void>;
  /** Drops the wake-up planned for `at` (all of the grant's, where the scheduler can). */
  cancel(grantId: string, at?: number): Promise<void>;
}

/** Structured log; never given secrets. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Work only one process may do at a time (the Lambda expiry engine), held until `until` unless renewed. */
export interface Lease {
  name: string;
  holder: string;
  until: number;
  /** The holder drives everything due up to this time before it lets go. */
  horizon: number;
  /** The holder is about to let go: others must not count on it. */
  closing: boolean;
  version: number;
}

/** Leases in DynamoDB; every write is conditional on the version read (undefined: must not exist). */
export interface LeaseStore {
  readLease(name: string): Promise<Lease | undefined>;
  /** Throws LeaseChangedConcurrently when someone else wrote it first. */
  writeLease(next: Lease, expectVersion: number | undefined): Promise<void>;
}
