import { auditEntry } from "../../app/audit.js";
import type {
  AuditEntry,
  AuditQuery,
  GrantChange,
  GrantStore,
  GrantVersion,
  NewGrant,
  Notice,
  Page,
} from "../../app/ports.js";
import {
  GrantChangedConcurrently,
  NoticeChangedConcurrently,
  TupleChangedConcurrently,
} from "../../domain/errors.js";
import type { AssignmentTarget, AssignmentTuple, AuditEvent, Grant } from "../../domain/grant.js";

function copy<T>(value: T): T {
  return structuredClone(value);
}

function tupleId(target: AssignmentTarget): string {
  return `${target.userId}#${target.accountId}#${target.permissionSetArn}`;
}

function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

interface StoredEvent {
  event: AuditEvent;
  /** Insertion order, standing in for the sequence number in DynamoDB's sort key. */
  order: number;
}

function byTime(a: Pick<StoredEvent, "order"> & { event: Pick<AuditEvent, "at"> }, b: typeof a): number {
  return a.event.at - b.event.at || a.order - b.order;
}

/** Position in the audit index after which the next page starts. */
function decodeAuditCursor(cursor: string): { event: { at: number }; order: number } {
  const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as {
    at?: unknown;
    order?: unknown;
  };
  if (typeof key.at !== "number" || typeof key.order !== "number") throw new Error("invalid paging cursor");
  return { event: { at: key.at }, order: key.order };
}

/** Position in the due index; as a cursor it is opaque to callers, like DynamoDB's LastEvaluatedKey. */
interface DueCursor {
  dueAt: number;
  id: string;
}

function dueKey(grant: Grant): DueCursor {
  return { dueAt: grant.dueAt ?? 0, id: grant.id };
}

function compareDue(a: DueCursor, b: DueCursor): number {
  return a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function encodeCursor(grant: Grant): string {
  return Buffer.from(JSON.stringify(dueKey(grant))).toString("base64url");
}

function decodeCursor(cursor: string): DueCursor {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch (error) {
    throw new Error("invalid paging cursor", { cause: error });
  }
  const candidate = key as Partial<DueCursor> | null;
  if (typeof candidate?.dueAt !== "number" || typeof candidate.id !== "string") {
    throw new Error("invalid paging cursor");
  }
  return { dueAt: candidate.dueAt, id: candidate.id };
}

/** Where a notice comes in its grant's sequence: the version of the write, then its place in it. */
function noticeOrder(notice: Notice): number {
  const [, version = "0", n = "0"] = notice.id.split("#");
  return Number(version) * 1000 + Number(n);
}

/** GrantStore in memory with the DynamoDB adapter's conditions, for use-case tests and the sandbox. */
export class MemoryGrantStore implements GrantStore {
  private readonly grants = new Map<string, Grant>();
  private readonly tuples = new Map<string, AssignmentTuple>();
  private readonly audits = new Map<string, StoredEvent[]>();
  private readonly refusals = new Map<string, StoredEvent[]>();
  private readonly notices = new Map<string, Notice>();
  /** Request id -> its grant ids, in the order asked for. */
  private readonly requests = new Map<string, string[]>();
  /** The token of the last change written to each grant, as DynamoDB keeps it on the item. */
  private readonly tokens = new Map<string, string>();
  private written = 0;
  /** Every audit event with whom and what it concerns, standing in for DynamoDB's audit index. */
  private readonly auditIndex: Array<{ entry: AuditEntry; order: number }> = [];

  async create(grant: Grant, audit: AuditEvent[], notices: Notice[] = []): Promise<void> {
    this.insert(grant, audit, notices);
  }

  private insert(grant: Grant, audit: AuditEvent[], notices: Notice[] = []): void {
    const existing = this.grants.get(grant.id);
    if (existing !== undefined) throw new GrantChangedConcurrently(grant.id, copy(existing));
    this.grants.set(grant.id, copy(grant));
    this.append(this.audits, grant.id, audit, grant);
    this.addNotices(notices);
  }

  async createRequest(requestId: string, parts: NewGrant[]): Promise<void> {
    if (this.requests.has(requestId)) throw new GrantChangedConcurrently(requestId, undefined);
    for (const { grant } of parts) {
      const existing = this.grants.get(grant.id);
      if (existing !== undefined) throw new GrantChangedConcurrently(grant.id, copy(existing));
    }
    this.requests.set(
      requestId,
      parts.map(({ grant }) => grant.id),
    );
    for (const { grant, audit, notices } of parts) this.insert(grant, audit, notices);
  }

  async requestParts(requestId: string): Promise<Grant[]> {
    const ids = this.requests.get(requestId) ?? [];
    return ids.flatMap((id) => {
      const grant = this.grants.get(id);
      return grant === undefined ? [] : [copy(grant)];
    });
  }

  async saveAll(changes: GrantChange[], unchanged: readonly GrantVersion[] = []): Promise<void> {
    // Checked together first, as DynamoDB's transaction does: all are written or none.
    const applied = changes.map((change) => this.check(change));
    if (applied.length > 0 && applied.every((done) => done)) return;
    const lost =
      changes.find((change, i) => !applied[i] && this.lost(change))?.grant.id ??
      unchanged.find((read) => this.moved(read))?.id;
    if (lost !== undefined) {
      const current = this.grants.get(lost);
      throw new GrantChangedConcurrently(lost, current === undefined ? undefined : copy(current));
    }
    for (const change of changes) this.write(change);
  }

  /** Whether a change is already written (its token on the grant at its version). */
  private check(change: GrantChange): boolean {
    const current = this.grants.get(change.grant.id);
    const mine = change.token !== undefined && this.tokens.get(change.grant.id) === change.token;
    return mine && current?.version === change.grant.version;
  }

  /** Whether a change's condition fails: someone else changed the grant since it was read. */
  private lost(change: GrantChange): boolean {
    return this.moved({ id: change.grant.id, ...change.expect });
  }

  /** Whether a grant is no longer at the status and version it was read at. */
  private moved(read: GrantVersion): boolean {
    const current = this.grants.get(read.id);
    return current === undefined || current.status !== read.status || current.version !== read.version;
  }

  async get(id: string): Promise<Grant | undefined> {
    const grant = this.grants.get(id);
    return grant === undefined ? undefined : copy(grant);
  }

  async save(change: GrantChange): Promise<void> {
    this.write(change);
  }

  /** One change, at once (no await inside, so a change of several grants cannot interleave with another). */
  private write(change: GrantChange): void {
    const { grant, expect, audit, tuple } = change;
    if (grant.version !== expect.version + 1) {
      throw new Error(
        `grant ${grant.id}: version ${grant.version} must follow expected version ${expect.version}`,
      );
    }
    const current = this.grants.get(grant.id);
    if (current === undefined || current.status !== expect.status || current.version !== expect.version) {
      // This very change, written before its answer was lost: done, as DynamoDB's idempotent write says.
      const mine = change.token !== undefined && this.tokens.get(grant.id) === change.token;
      if (mine && current?.version === grant.version) return;
      throw new GrantChangedConcurrently(grant.id, current === undefined ? undefined : copy(current));
    }
    if (tuple !== undefined) this.checkTuple(tuple.next, tuple.expectVersion);
    this.grants.set(grant.id, copy(grant));
    if (change.token !== undefined) this.tokens.set(grant.id, change.token);
    else this.tokens.delete(grant.id);
    this.append(this.audits, grant.id, audit, grant);
    if (tuple !== undefined) this.tuples.set(tupleId(tuple.next.target), copy(tuple.next));
    this.addNotices(change.notices ?? []);
  }

  async dueNotices(before: number, limit = 100): Promise<Notice[]> {
    return [...this.notices.values()]
      .filter((n) => n.state === "pending" && n.dueAt !== undefined && n.dueAt <= before)
      .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0) || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map(copy);
  }

  async noticesOf(grantId: string): Promise<Notice[]> {
    return [...this.notices.values()]
      .filter((n) => n.grantId === grantId && n.state === "pending")
      .sort((a, b) => noticeOrder(a) - noticeOrder(b))
      .map(copy);
  }

  async saveNotice(next: Notice, expectVersion: number): Promise<void> {
    const current = this.notices.get(next.id);
    if (current?.version !== expectVersion) {
      throw new NoticeChangedConcurrently(`notice ${next.id} was changed by someone else`);
    }
    this.notices.set(next.id, copy(next));
  }

  /** Every notice ever recorded, for tests and the sandbox. */
  allNotices(): Notice[] {
    return [...this.notices.values()].map(copy);
  }

  private addNotices(notices: Notice[]): void {
    for (const notice of notices) {
      if (!this.notices.has(notice.id)) this.notices.set(notice.id, copy(notice));
    }
  }

  async getTuple(target: AssignmentTarget): Promise<AssignmentTuple | undefined> {
    const tuple = this.tuples.get(tupleId(target));
    return tuple === undefined ? undefined : copy(tuple);
  }

  async saveTuple(next: AssignmentTuple, expectVersion: number | undefined): Promise<void> {
    this.checkTuple(next, expectVersion);
    this.tuples.set(tupleId(next.target), copy(next));
  }

  async due(before: number, cursor?: string, limit = 100): Promise<Page<Grant>> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const due = [...this.grants.values()]
      .filter((g) => g.dueAt !== undefined && g.dueAt <= before)
      .filter((g) => after === undefined || compareDue(dueKey(g), after) > 0)
      .sort((a, b) => compareDue(dueKey(a), dueKey(b)));
    const items = due.slice(0, limit).map(copy);
    const last = items[items.length - 1];
    return items.length === limit && last !== undefined ? { items, cursor: encodeCursor(last) } : { items };
  }

  async byRequester(slackId: string, limit = 20): Promise<Grant[]> {
    return [...this.grants.values()]
      .filter((g) => g.requester.slackId === slackId)
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, limit)
      .map(copy);
  }

  async auditOf(grantId: string): Promise<AuditEvent[]> {
    return this.eventsIn(this.audits, grantId);
  }

  /** A refusal about a grant (an unauthorised click) joins that grant's trail; others are kept by day. */
  async recordRefusal(event: AuditEvent): Promise<void> {
    if (event.grantId) this.append(this.audits, event.grantId, [event], this.grants.get(event.grantId));
    else this.append(this.refusals, utcDay(event.at), [event]);
  }

  async auditBetween(query: AuditQuery, cursor?: string, limit = 500): Promise<Page<AuditEntry>> {
    const after = cursor === undefined ? undefined : decodeAuditCursor(cursor);
    const matching = this.auditIndex
      .filter(({ entry }) => entry.event.at >= query.from && entry.event.at <= query.to)
      .filter(({ entry }) => query.requester === undefined || entry.requester === query.requester)
      .filter(({ entry }) => query.account === undefined || entry.account === query.account)
      .filter(({ entry, order }) => after === undefined || byTime({ event: entry.event, order }, after) > 0)
      .sort((a, b) =>
        byTime({ event: a.entry.event, order: a.order }, { event: b.entry.event, order: b.order }),
      );
    const page = matching.slice(0, limit);
    const last = page[page.length - 1];
    const items = page.map(({ entry }) => copy(entry));
    if (matching.length <= limit || last === undefined) return { items };
    return {
      items,
      cursor: Buffer.from(JSON.stringify({ at: last.entry.event.at, order: last.order })).toString(
        "base64url",
      ),
    };
  }

  /** Refusals recorded on one UTC day (YYYY-MM-DD), oldest first; mirrors the DynamoDB adapter. */
  async refusalsOn(day: string): Promise<AuditEvent[]> {
    return this.eventsIn(this.refusals, day);
  }

  private checkTuple(next: AssignmentTuple, expectVersion: number | undefined): void {
    const current = this.tuples.get(tupleId(next.target));
    const holds = expectVersion === undefined ? current === undefined : current?.version === expectVersion;
    if (!holds) {
      const t = next.target;
      throw new TupleChangedConcurrently(
        `assignment ${t.userId}/${t.accountId}/${t.permissionSetArn} was changed by someone else`,
      );
    }
  }

  /** Keeps events under their grant (or day) and in the audit index, as the DynamoDB adapter writes them. */
  private append(into: Map<string, StoredEvent[]>, key: string, events: AuditEvent[], grant?: Grant): void {
    const list = into.get(key) ?? [];
    for (const event of events) {
      const order = this.written++;
      list.push({ event: copy(event), order });
      this.auditIndex.push({ entry: copy(auditEntry(event, grant)), order });
    }
    into.set(key, list);
  }

  private eventsIn(from: Map<string, StoredEvent[]>, key: string): AuditEvent[] {
    return [...(from.get(key) ?? [])].sort(byTime).map((stored) => copy(stored.event));
  }
}
