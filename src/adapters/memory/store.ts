import type { GrantChange, GrantStore, Page } from "../../app/ports.js";
import { GrantChangedConcurrently, TupleChangedConcurrently } from "../../domain/errors.js";
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

function byTime(a: StoredEvent, b: StoredEvent): number {
  return a.event.at - b.event.at || a.order - b.order;
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

/** GrantStore in memory with the DynamoDB adapter's conditions, for use-case tests and the sandbox. */
export class MemoryGrantStore implements GrantStore {
  private readonly grants = new Map<string, Grant>();
  private readonly tuples = new Map<string, AssignmentTuple>();
  private readonly audits = new Map<string, StoredEvent[]>();
  private readonly refusals = new Map<string, StoredEvent[]>();
  private written = 0;

  async create(grant: Grant, audit: AuditEvent[]): Promise<void> {
    const existing = this.grants.get(grant.id);
    if (existing !== undefined) throw new GrantChangedConcurrently(grant.id, copy(existing));
    this.grants.set(grant.id, copy(grant));
    this.append(this.audits, grant.id, audit);
  }

  async get(id: string): Promise<Grant | undefined> {
    const grant = this.grants.get(id);
    return grant === undefined ? undefined : copy(grant);
  }

  async save(change: GrantChange): Promise<void> {
    const { grant, expect, audit, tuple } = change;
    if (grant.version !== expect.version + 1) {
      throw new Error(
        `grant ${grant.id}: version ${grant.version} must follow expected version ${expect.version}`,
      );
    }
    const current = this.grants.get(grant.id);
    if (current === undefined || current.status !== expect.status || current.version !== expect.version) {
      throw new GrantChangedConcurrently(grant.id, current === undefined ? undefined : copy(current));
    }
    if (tuple !== undefined) this.checkTuple(tuple.next, tuple.expectVersion);
    this.grants.set(grant.id, copy(grant));
    this.append(this.audits, grant.id, audit);
    if (tuple !== undefined) this.tuples.set(tupleId(tuple.next.target), copy(tuple.next));
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
    if (event.grantId) this.append(this.audits, event.grantId, [event]);
    else this.append(this.refusals, utcDay(event.at), [event]);
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

  private append(into: Map<string, StoredEvent[]>, key: string, events: AuditEvent[]): void {
    const list = into.get(key) ?? [];
    for (const event of events) list.push({ event: copy(event), order: this.written++ });
    into.set(key, list);
  }

  private eventsIn(from: Map<string, StoredEvent[]>, key: string): AuditEvent[] {
    return [...(from.get(key) ?? [])].sort(byTime).map((stored) => copy(stored.event));
  }
}
