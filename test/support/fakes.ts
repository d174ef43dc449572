import type {
  AssignmentOutcome,
  Chat,
  ChatUser,
  Clock,
  IdentityCenter,
  Logger,
  MessageRef,
  RequesterNotice,
  RevocationScheduler,
} from "../../src/app/ports.js";
import type { AccessConfig, Rule } from "../../src/domain/config.js";
import { AssignmentFailed, UnsafeDeletion } from "../../src/domain/errors.js";
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

/** Identity Center in memory: users, groups, user assignments, and failures on demand. */
export class FakeIdentityCenter implements IdentityCenter {
  readonly users = new Map<string, string>();
  readonly groups = new Map<string, Set<string>>();
  readonly assignments = new Set<string>();
  readonly calls: { op: string; target?: AssignmentTarget }[] = [];
  /** Targets whose creation ends FAILED with this reason. */
  readonly failing = new Map<string, string>();
  /** The next N create/delete calls throw a transient error. */
  transientFailures = 0;
  /** The next N creations go through but report retries exhausted (the status could not be read). */
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
  count(op: string): number {
    return this.calls.filter((call) => call.op === op).length;
  }

  async userIdByEmail(email: string): Promise<string | undefined> {
    return this.users.get(email.toLowerCase());
  }
  async groupsOf(userId: string, groupNames: readonly string[]): Promise<string[]> {
    return groupNames.filter((name) => this.groups.get(name)?.has(userId));
  }
  async assignmentExists(target: AssignmentTarget): Promise<boolean> {
    this.calls.push({ op: "exists", target });
    return this.assignments.has(key(target));
  }
  async createAssignment(target: AssignmentTarget): Promise<AssignmentOutcome> {
    this.calls.push({ op: "create", target });
    this.transient();
    const reason = this.failing.get(key(target));
    if (reason) {
      throw new AssignmentFailed(`Identity Center could not create the assignment: ${reason}`, {
        definitive: true,
      });
    }
    this.assignments.add(key(target));
    if (this.lostResults > 0) {
      this.lostResults--;
      throw new AssignmentFailed("Identity Center did not answer: retries exhausted");
    }
    return { requestId: `req-${++this.seq}` };
  }
  async deleteAssignment(tuple: AssignmentTuple): Promise<AssignmentOutcome> {
    if (tuple.preExisting !== false || tuple.holders.length > 0 || tuple.state !== "deleting") {
      throw new UnsafeDeletion(`refusing to delete ${key(tuple.target)}`);
    }
    this.calls.push({ op: "delete", target: tuple.target });
    this.transient();
    this.assignments.delete(key(tuple.target));
    return { requestId: `req-${++this.seq}` };
  }
  private transient(): void {
    if (this.transientFailures > 0) {
      this.transientFailures--;
      throw new Error("ThrottlingException: Rate exceeded (retries exhausted)");
    }
  }
}

/** Slack in memory: who is who, and every message the bot sent. */
export class FakeChat implements Chat {
  readonly users = new Map<string, ChatUser>();
  readonly posted: { channel: string; grant: Grant; ts: string }[] = [];
  readonly updates: { ref: MessageRef; grant: Grant }[] = [];
  readonly notices: { grant: Grant; notice: RequesterNotice }[] = [];
  readonly audits: { channel: string; event: AuditEvent }[] = [];
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
  async postRequest(grant: Grant, rule: Rule, config: AccessConfig): Promise<MessageRef> {
    this.outage();
    const channel = rule.channel ?? config.slack.approvalChannel;
    const ts = `${++this.ts}.000100`;
    this.posted.push({ channel, grant, ts });
    return { channel, ts };
  }
  async updateRequest(ref: MessageRef, grant: Grant): Promise<void> {
    this.outage();
    this.updates.push({ ref, grant });
  }
  async notifyRequester(grant: Grant, notice: RequesterNotice): Promise<void> {
    this.outage();
    this.notices.push({ grant, notice });
  }
  async audit(channel: string, _grant: Grant, event: AuditEvent): Promise<void> {
    this.outage();
    this.audits.push({ channel, event });
  }
  private outage(): void {
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
