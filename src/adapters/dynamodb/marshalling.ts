import { randomBytes } from "node:crypto";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { marshall, type marshallOptions, unmarshall, type unmarshallOptions } from "@aws-sdk/util-dynamodb";
import type { AuditEntry, Notice } from "../../app/ports.js";
import type { AssignmentTarget, AssignmentTuple, AuditEvent, Grant } from "../../domain/grant.js";
import {
  AUDIT_ACCOUNT_ATTRIBUTE,
  AUDIT_DAY_ATTRIBUTE,
  AUDIT_PERMISSION_SET_ATTRIBUTE,
  AUDIT_REQUESTER_ATTRIBUTE,
  AUDIT_SORT_PREFIX,
  DUE_SHARD,
  DUE_SHARD_ATTRIBUTE,
  GRANT_SORT_KEY,
  NOTICE_SHARD,
  NOTICE_SORT_KEY,
  PARTITION_KEY,
  REQUEST_SORT_KEY,
  REQUESTER_ATTRIBUTE,
  SORT_KEY,
  TTL_ATTRIBUTE,
  TUPLE_SORT_KEY,
  WRITE_TOKEN_ATTRIBUTE,
} from "./table.js";

export type Item = Record<string, AttributeValue>;

/** The shape items always had: numbers as N, read back as numbers (never BigInt); objects as M; undefined left out. */
const WRITE_OPTIONS: marshallOptions = {
  removeUndefinedValues: true,
  convertClassInstanceToMap: true,
  allowImpreciseNumbers: true,
};
const READ_OPTIONS: unmarshallOptions = { wrapNumbers: Number };

/** Plain data as the attributes of an item. */
export function toItem(value: Record<string, unknown>): Item {
  return marshall(value, WRITE_OPTIONS);
}

/** An item's attributes as plain data. */
export function fromItem(item: Item): Record<string, unknown> {
  return unmarshall(item, READ_OPTIONS);
}

function withoutKeys(item: Item, names: readonly string[]): Record<string, unknown> {
  const value = fromItem(item);
  for (const name of names) delete value[name];
  return value;
}

export function grantKey(id: string): Item {
  return { [PARTITION_KEY]: { S: grantPartition(id) }, [SORT_KEY]: { S: GRANT_SORT_KEY } };
}

/** The item that links the parts of a request of several. */
export function requestKey(requestId: string): Item {
  return { [PARTITION_KEY]: { S: `REQUEST#${requestId}` }, [SORT_KEY]: { S: REQUEST_SORT_KEY } };
}

/** A request's item: its grant ids in the order asked for. */
export function requestToItem(requestId: string, grantIds: readonly string[], createdAt: number): Item {
  return { ...toItem({ requestId, grantIds: [...grantIds], createdAt }), ...requestKey(requestId) };
}

/** The grant ids a request item lists. */
export function grantIdsOf(item: Item): string[] {
  return (item.grantIds?.L ?? []).flatMap((value) => (value.S === undefined ? [] : [value.S]));
}

export function tupleKey(target: AssignmentTarget): Item {
  return {
    [PARTITION_KEY]: { S: `TUPLE#${target.userId}#${target.accountId}#${target.permissionSetArn}` },
    [SORT_KEY]: { S: TUPLE_SORT_KEY },
  };
}

/**
 * Grant item with its index attributes; `dueShard` only when the grant is due, so the index stays sparse. The
 * write token names the change that wrote it, so a retried write whose answer was lost is recognised.
 */
export function grantToItem(grant: Grant, writeToken?: string): Item {
  const item: Item = { ...toItem({ ...grant }), ...grantKey(grant.id) };
  item[REQUESTER_ATTRIBUTE] = { S: grant.requester.slackId };
  if (grant.dueAt !== undefined) item[DUE_SHARD_ATTRIBUTE] = { S: DUE_SHARD };
  if (writeToken !== undefined) item[WRITE_TOKEN_ATTRIBUTE] = { S: writeToken };
  return item;
}

export function itemToGrant(item: Item): Grant {
  return withoutKeys(item, [
    PARTITION_KEY,
    SORT_KEY,
    REQUESTER_ATTRIBUTE,
    DUE_SHARD_ATTRIBUTE,
    WRITE_TOKEN_ATTRIBUTE,
  ]) as unknown as Grant;
}

/** The token of the change that last wrote a grant item, if it carried one. */
export function writeTokenOf(item: Item): string | undefined {
  return item[WRITE_TOKEN_ATTRIBUTE]?.S;
}

/** Notices live in their grant's partition, in the order they were recorded (`<version>#<n>` of their id). */
export function noticeKey(notice: Pick<Notice, "grantId" | "id">): Item {
  const [, version = "0", n = "0"] = notice.id.split("#");
  const order = `${version.padStart(10, "0")}#${n.padStart(3, "0")}`;
  return {
    [PARTITION_KEY]: { S: grantPartition(notice.grantId) },
    [SORT_KEY]: { S: `${NOTICE_SORT_KEY}#${order}` },
  };
}

/** How long a delivered or dropped notice is kept before DynamoDB's TTL removes it. */
const NOTICE_KEEP_SECONDS = 7 * 24 * 3600;

/** Notice item: in the due index (its own shard) while pending, expired by TTL once settled. */
export function noticeToItem(notice: Notice, now: number = Date.now()): Item {
  const item: Item = { ...toItem({ ...notice }), ...noticeKey(notice) };
  if (notice.state === "pending" && notice.dueAt !== undefined) {
    item[DUE_SHARD_ATTRIBUTE] = { S: NOTICE_SHARD };
  } else {
    item[TTL_ATTRIBUTE] = { N: String(Math.floor(now / 1000) + NOTICE_KEEP_SECONDS) };
  }
  return item;
}

export function itemToNotice(item: Item): Notice {
  return withoutKeys(item, [
    PARTITION_KEY,
    SORT_KEY,
    DUE_SHARD_ATTRIBUTE,
    TTL_ATTRIBUTE,
  ]) as unknown as Notice;
}

export function tupleToItem(tuple: AssignmentTuple): Item {
  return { ...toItem({ ...tuple }), ...tupleKey(tuple.target) };
}

export function itemToTuple(item: Item): AssignmentTuple {
  return withoutKeys(item, [PARTITION_KEY, SORT_KEY]) as unknown as AssignmentTuple;
}

/** `AUDIT#<ms, 15 digits>#<seq, 4 digits>#<random 4>`: time order, then order within one write, never colliding. */
export function auditSortKey(at: number, seq: number): string {
  const time = String(Math.trunc(at)).padStart(15, "0");
  return `${AUDIT_SORT_PREFIX}${time}#${String(seq).padStart(4, "0")}#${randomBytes(2).toString("hex")}`;
}

export function grantPartition(id: string): string {
  return `GRANT#${id}`;
}

/** How the partition of every refusal without a grant begins; the Slack function may write no other (infra/access.ts). */
export const REFUSAL_PARTITION_PREFIX = "REFUSAL#";

/**
 * Every attribute an audit item may have (auditToItem): the Slack function may put items with these only, so what it
 * writes can never land in the due or requester index (infra/access.ts).
 */
export const AUDIT_ITEM_ATTRIBUTES: readonly string[] = [
  PARTITION_KEY,
  SORT_KEY,
  AUDIT_DAY_ATTRIBUTE,
  AUDIT_REQUESTER_ATTRIBUTE,
  AUDIT_ACCOUNT_ATTRIBUTE,
  AUDIT_PERMISSION_SET_ATTRIBUTE,
  ...(["grantId", "at", "actor", "type", "reason", "status", "detail"] satisfies (keyof AuditEvent)[]),
];

/** Refusals have no grant, so they are kept per UTC day (YYYY-MM-DD). */
export function refusalPartition(day: string): string {
  return `${REFUSAL_PARTITION_PREFIX}${day}`;
}

export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Partition of the audit index for one UTC day (YYYY-MM-DD). */
export function auditDayPartition(day: string): string {
  return `${AUDIT_SORT_PREFIX}${day}`;
}

/** An audit item, in the audit index under its day, with whom and what it concerns for the index's filters. */
export function auditToItem(event: AuditEvent, partition: string, seq: number, about?: AuditEntry): Item {
  const item: Item = {
    ...toItem({ ...event }),
    [PARTITION_KEY]: { S: partition },
    [SORT_KEY]: { S: auditSortKey(event.at, seq) },
    [AUDIT_DAY_ATTRIBUTE]: { S: auditDayPartition(utcDay(event.at)) },
  };
  if (about?.requester) item[AUDIT_REQUESTER_ATTRIBUTE] = { S: about.requester };
  if (about?.account) item[AUDIT_ACCOUNT_ATTRIBUTE] = { S: about.account };
  if (about?.permissionSet) item[AUDIT_PERMISSION_SET_ATTRIBUTE] = { S: about.permissionSet };
  return item;
}

const AUDIT_INDEX_ATTRIBUTES = [
  PARTITION_KEY,
  SORT_KEY,
  AUDIT_DAY_ATTRIBUTE,
  AUDIT_REQUESTER_ATTRIBUTE,
  AUDIT_ACCOUNT_ATTRIBUTE,
  AUDIT_PERMISSION_SET_ATTRIBUTE,
];

export function itemToAudit(item: Item): AuditEvent {
  return withoutKeys(item, AUDIT_INDEX_ATTRIBUTES) as unknown as AuditEvent;
}

export function itemToAuditEntry(item: Item): AuditEntry {
  const requester = item[AUDIT_REQUESTER_ATTRIBUTE]?.S;
  const account = item[AUDIT_ACCOUNT_ATTRIBUTE]?.S;
  const permissionSet = item[AUDIT_PERMISSION_SET_ATTRIBUTE]?.S;
  return {
    event: itemToAudit(item),
    ...(requester ? { requester } : {}),
    ...(account ? { account } : {}),
    ...(permissionSet ? { permissionSet } : {}),
  };
}

/** Bounds of the table's sort key for audit events from `from` to `to` (ms, both included). */
export function auditSortRange(from: number, to: number): { low: string; high: string } {
  const time = (at: number) => String(Math.trunc(at)).padStart(15, "0");
  // "~" sorts after the "#<seq>#<random>" that follows the time.
  return { low: `${AUDIT_SORT_PREFIX}${time(from)}`, high: `${AUDIT_SORT_PREFIX}${time(to)}~` };
}

/** The UTC day after a YYYY-MM-DD day. */
export function nextUtcDay(day: string): string {
  return utcDay(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000);
}

/** Opaque paging cursor: base64url JSON of DynamoDB's LastEvaluatedKey. */
export function encodeCursor(key: Item | undefined): string | undefined {
  return key === undefined ? undefined : Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): Item | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch (error) {
    throw new Error("invalid paging cursor", { cause: error });
  }
  if (typeof key !== "object" || key === null || Array.isArray(key)) throw new Error("invalid paging cursor");
  return key as Item;
}
