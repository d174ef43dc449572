import { AssignmentRefused, type RefusalKind, ServiceError } from "../../src/app/errors.js";
import type {
  AssignmentRequest,
  Chat,
  ChatUser,
  Clock,
  HomeContent,
  IdentityCenter,
  Logger,
  Mentions,
  MessageRef,
  NoticeExtras,
  OperationKind,
  OperationOutcome,
  PermissionSetInfo,
  RequesterNotice,
  RevocationScheduler,
  SendOptions,
} from "../../src/app/ports.js";
import type { AccessConfig } from "../../src/domain/config.js";
import { UnsafeDeletion } from "../../src/domain/errors.js";
import type { AssignmentTarget, AssignmentTuple, AuditEvent, Grant } from "../../src/domain/grant.js";

/** A clock that only moves when a test moves it. */
export class ManualClock implements Clock {
  constructor(private time = Date.UTC(2026, 10, 27, 9, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
  set(ms: number): void {
    this.time = ms;
  }
}

const key = (t: AssignmentTarget) => `${t.userId}|${t.accountId}|${t.permissionSetArn}`;

/** What the fakes throw for an outage or throttling that outlasted the retries. */
export class FakeOutage extends ServiceError {
  readonly code = "FAKE_OUTAGE";
  readonly service = "Identity Center" as const;
}

interface FakeOperation {
  kind: OperationKind;
  target: AssignmentTarget;
  status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
  reason?: string;
}

/** Identity Center in memory: users, groups, user assignments, asynchronous operations and failures on demand. */
export class FakeIdentityCenter implements IdentityCenter {
  readonly users = new Map<string, string>();
  readonly groups = new Map<string, Set<string>>();
  readonly assignments = new Set<string>();
  readonly calls: { op: string; target?: AssignmentTarget }[] = [];
  readonly operations = new Map<string, FakeOperation>();
  /** Targets whose creation ends FAILED with this reason. */
  readonly failing = new Map<string, string>();
  /** Targets whose creations or deletions Identity Center refuses outright. */
  readonly refusing = new Map<string, { kind: RefusalKind; operations: OperationKind[] }>();
  /** Targets whose operations stay IN_PROGRESS until `finish` is called. */
  readonly stuck = new Set<string>();
  /** Targets whose deletions end FAILED. */
  readonly failingDeletions = new Set<string>();
  /** The next N create/delete calls throw a transient error. */
  transientFailures = 0;
  /** The next N creations go through but their answer is lost (the caller sees an outage). */
  lostResults = 0;
  private seq = 0;

  addUser(email: string, userId: string, groups: string[] = []): this {
    this.users.set(email.toLowerCase(), userId);
    for (const group of groups) {
      const members = this.groups.get(group) ?? new Set<string>();
      members.add(userId);
      this.groups.set(group, members);
    }
    return this;
  }
  addAssignment(target: AssignmentTarget): this {
    this.assignments.add(key(target));
    return this;
  }
  has(target: AssignmentTarget): boolean {
    return this.assignments.has(key(target));
  }
  failWith(target: AssignmentTarget, reason: string): this {
    this.failing.set(key(target), reason);
    return this;
  }
  refuse(target: AssignmentTarget, kind: RefusalKind, operations: OperationKind[] = ["creation"]): this {
    this.refusing.set(key(target), { kind, operations });
    return this;
  }
  /** Finishes the target's operations that were held IN_PROGRESS. */
  finish(target: AssignmentTarget): void {
    this.stuck.delete(key(target));
    for (const op of this.operations.values()) {
      if (op.status === "IN_PROGRESS" && key(op.target) === key(target)) this.land(op);
    }
  }
  count(op: string): number {
    return this.calls.filter((call) => call.op === op).length;
  }

  /** Session durations (ISO-8601) by permission set ARN; others are unknown to Identity Center. */
  readonly sessionDurations = new Map<string, string>();
  async userIdByEmail(email: string): Promise<string | undefined> {
    return this.users.get(email.toLowerCase());
  }
  async groupMemberEmails(groupName: string, limit: number): Promise<string[]> {
    this.calls.push({ op: "members" });
    const members = this.groups.get(groupName) ?? new Set<string>();
    const emails = [...this.users].filter(([, id]) => members.has(id)).map(([email]) => email);
    return emails.slice(0, limit);
  }
  async describePermissionSets(arns: readonly string[]): Promise<PermissionSetInfo[]> {
    this.calls.push({ op: "describe-permission-sets" });
    return arns.map((arn) => {
      const sessionDuration = this.sessionDurations.get(arn);
      return sessionDuration ? { arn, found: true, name: arn, sessionDuration } : { arn, found: false };
    });
  }
  async groupsOf(userId: string, groupNames: readonly string[]): Promise<string[]> {
    return groupNames.filter((name) => this.groups.get(name)?.has(userId));
  }
  async assignmentExists(target: AssignmentTarget): Promise<boolean> {
    this.calls.push({ op: "exists", target });
    return this.assignments.has(key(target));
  }
  /** Awaited before a creation or deletion takes its quota slot: a test holds it to model a long wait. */
  slotWait: () => Promise<void> = async () => {};

  async startCreation(target: AssignmentTarget, options: SendOptions = {}): Promise<AssignmentRequest> {
    await this.slotWait();
    await options.intend?.();
    this.calls.push({ op: "create", target });
    this.transient();
    this.refusal(target, "creation", "CreateAccountAssignment");
    const requestId = this.begin("creation", target);
    if (this.lostResults > 0) {
      this.lostResults--;
      throw new FakeOutage("Identity Center did not answer: retries exhausted");
    }
    return { requestId };
  }
  async startDeletion(
    tuple: AssignmentTuple,
    options: SendOptions = {},
  ): Promise<AssignmentRequest | { gone: true }> {
    if (tuple.preExisting !== false || tuple.holders.length > 0 || tuple.state !== "deleting") {
      throw new UnsafeDeletion(`refusing to delete ${key(tuple.target)}`);
    }
    await this.slotWait();
    await options.intend?.();
    this.calls.push({ op: "delete", target: tuple.target });
    this.transient();
    this.refusal(tuple.target, "deletion", "DeleteAccountAssignment");
    if (!this.assignments.has(key(tuple.target))) return { gone: true };
    return { requestId: this.begin("deletion", tuple.target) };
  }
  async awaitOperation(kind: OperationKind, requestId: string): Promise<OperationOutcome> {
    this.calls.push({ op: `await-${kind}` });
    const op = this.operations.get(requestId);
    if (!op) throw new FakeOutage(`no ${kind} request ${requestId}`);
    if (op.status === "IN_PROGRESS") return { status: "in-progress", requestId };
    if (op.status === "FAILED") return { status: "failed", requestId, reason: op.reason ?? "failed" };
    return { status: "succeeded", requestId };
  }
  async findInProgress(kind: OperationKind, target: AssignmentTarget): Promise<string | undefined> {
    this.calls.push({ op: `find-${kind}`, target });
    for (const [id, op] of this.operations) {
      if (op.kind === kind && op.status === "IN_PROGRESS" && key(op.target) === key(target)) return id;
    }
    return undefined;
  }
  private begin(kind: OperationKind, target: AssignmentTarget): string {
    const requestId = `req-${++this.seq}`;
    const op: FakeOperation = { kind, target, status: "IN_PROGRESS" };
    this.operations.set(requestId, op);
    if (!this.stuck.has(key(target))) this.land(op);
    return requestId;
  }
  private land(op: FakeOperation): void {
    const reason = op.kind === "creation" ? this.failing.get(key(op.target)) : undefined;
    if (reason !== undefined) {
      op.status = "FAILED";
      op.reason = reason;
      return;
    }
    if (op.kind === "deletion" && this.failingDeletions.has(key(op.target))) {
      op.status = "FAILED";
      op.reason = "deletion failed";
      return;
    }
    op.status = "SUCCEEDED";
    if (op.kind === "creation") this.assignments.add(key(op.target));
    else this.assignments.delete(key(op.target));
  }
  private refusal(target: AssignmentTarget, kind: OperationKind, operation: string): void {
    const refused = this.refusing.get(key(target));
    if (refused?.operations.includes(kind)) {
      throw new AssignmentRefused(operation, refused.kind, `${refused.kind} (fake)`);
    }
  }
  private transient(): void {
    if (this.transientFailures > 0) {
      this.transientFailures--;
      throw new FakeOutage("ThrottlingException: Rate exceeded (retries exhausted)");
    }
  }
}

/** Slack in memory: who is who, and every message the bot sent. */
export class FakeChat implements Chat {
  readonly users = new Map<string, ChatUser>();
  readonly posted: { channel: string; grant: Grant; ts: string; parts?: readonly Grant[] }[] = [];
  readonly updates: { ref: MessageRef; grant: Grant; parts?: readonly Grant[] }[] = [];
  readonly notices: { grant: Grant; notice: RequesterNotice; extras?: NoticeExtras }[] = [];
  readonly audits: { channel: string; event: AuditEvent }[] = [];
  readonly nudges: { ref: MessageRef; grant: Grant; approvers: Mentions }[] = [];
  readonly extensions: { channel: string; thread?: string; grant: Grant; ts: string }[] = [];
  readonly extensionUpdates: { ref: MessageRef; grant: Grant }[] = [];
  readonly homes: { slackId: string; home: HomeContent }[] = [];
  readonly refusals: { channel: string; actor: string; event?: AuditEvent; heldBack: number }[] = [];
  down = false;
  private ts = 0;

  addUser(slackId: string, email: string, tz = "Europe/Berlin"): this {
    this.users.set(slackId, { slackId, email, tz });
    return this;
  }
  noticesFor(grantId: string): RequesterNotice[] {
    return this.notices.filter((n) => n.grant.id === grantId).map((n) => n.notice);
  }

  async user(slackId: string): Promise<ChatUser> {
    return this.users.get(slackId) ?? { slackId };
  }
  async postRequest(grant: Grant, channel: string, parts?: readonly Grant[]): Promise<MessageRef> {
    this.outage();
    const ts = `${++this.ts}.000100`;
    this.posted.push({ channel, grant, ts, ...(parts ? { parts } : {}) });
    return { channel, ts };
  }
  async updateRequest(ref: MessageRef, grant: Grant, parts?: readonly Grant[]): Promise<void> {
    this.outage();
    this.updates.push({ ref, grant, ...(parts ? { parts } : {}) });
  }
  async notifyRequester(
    grant: Grant,
    notice: RequesterNotice,
    _config: AccessConfig,
    extras?: NoticeExtras,
  ): Promise<void> {
    this.outage();
    this.notices.push({ grant, notice, ...(extras ? { extras } : {}) });
  }
  async userIdByEmail(email: string): Promise<string | undefined> {
    if (this.down) throw new Error("slack is down");
    return [...this.users.values()].find((u) => u.email?.toLowerCase() === email.toLowerCase())?.slackId;
  }
  async postNudge(ref: MessageRef, grant: Grant, approvers: Mentions): Promise<void> {
    this.outage();
    this.nudges.push({ ref, grant, approvers });
  }
  async postExtension(grant: Grant, channel: string, thread?: string): Promise<MessageRef> {
    this.outage();
    const ts = `${++this.ts}.000200`;
    this.extensions.push({ channel, grant, ts, ...(thread ? { thread } : {}) });
    return { channel, ts };
  }
  async updateExtension(ref: MessageRef, grant: Grant): Promise<void> {
    this.outage();
    this.extensionUpdates.push({ ref, grant });
  }
  async publishHome(slackId: string, home: HomeContent): Promise<void> {
    this.outage();
    this.homes.push({ slackId, home });
  }
  /** The Home tab last published for a person. */
  homeOf(slackId: string): HomeContent | undefined {
    return this.homes.filter((h) => h.slackId === slackId).at(-1)?.home;
  }
  async auditRefusal(channel: string, actor: string, event: AuditEvent | undefined, heldBack: number) {
    this.outage();
    this.refusals.push({ channel, actor, heldBack, ...(event ? { event } : {}) });
  }
  async audit(channel: string, _grant: Grant, event: AuditEvent): Promise<void> {
    this.outage();
    this.audits.push({ channel, event });
  }
  /** Errors the next calls throw, one each, before `down` is looked at. */
  readonly failures: unknown[] = [];
  private outage(): void {
    if (this.failures.length > 0) throw this.failures.shift();
    if (this.down) throw new Error("slack is down");
  }
}

/** Remembers when each grant must next be looked at. */
export class FakeScheduler implements RevocationScheduler {
  readonly scheduled = new Map<string, number>();
  down = false;
  async schedule(grantId: string, at: number): Promise<void> {
    if (this.down) throw new Error("scheduler unavailable");
    this.scheduled.set(grantId, at);
  }
  async cancel(grantId: string): Promise<void> {
    if (this.down) throw new Error("scheduler unavailable");
    this.scheduled.delete(grantId);
  }
}

/** Keeps log lines for assertions. */
export class MemoryLogger implements Logger {
  readonly lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  info(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: "info", msg, ...(fields ? { fields } : {}) });
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: "warn", msg, ...(fields ? { fields } : {}) });
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: "error", msg, ...(fields ? { fields } : {}) });
  }
}
