import { randomBytes } from "node:crypto";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { AssignmentTarget, AssignmentTuple, AuditEvent, Grant } from "../../domain/grant.js";
import {
  AUDIT_SORT_PREFIX,
  DUE_SHARD,
  DUE_SHARD_ATTRIBUTE,
  GRANT_SORT_KEY,
  PARTITION_KEY,
  REQUESTER_ATTRIBUTE,
  SORT_KEY,
  TUPLE_SORT_KEY,
} from "./table.js";

export type Item = Record<string, AttributeValue>;

/** Plain data as DynamoDB stores it natively: numbers as N, objects as M, arrays as L; undefined is left out. */
export function toAttribute(value: unknown): AttributeValue | undefined {
  if (value === undefined) return undefined;
  if (value === null) return { NULL: true };
  if (typeof value === "string") return { S: value };
  if (typeof value === "boolean") return { BOOL: value };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot store the number ${value}`);
    return { N: String(value) };
  }
  if (Array.isArray(value)) {
    return { L: value.map((v) => toAttribute(v) ?? { NULL: true }) };
  }
  if (typeof value === "object") return { M: toItem(value as Record<string, unknown>) };
  throw new Error(`cannot store a value of type ${typeof value}`);
}

export function toItem(value: Record<string, unknown>): Item {
  const item: Item = {};
  for (const [key, v] of Object.entries(value)) {
    const attribute = toAttribute(v);
    if (attribute !== undefined) item[key] = attribute;
  }
  return item;
}

export function fromAttribute(attribute: AttributeValue): unknown {
  if (attribute.S !== undefined) return attribute.S;
  if (attribute.N !== undefined) return Number(attribute.N);
  if (attribute.BOOL !== undefined) return attribute.BOOL;
  if (attribute.NULL !== undefined) return null;
  if (attribute.L !== undefined) return attribute.L.map(fromAttribute);
  if (attribute.M !== undefined) return fromItem(attribute.M);
  throw new Error(`unsupported attribute type: ${Object.keys(attribute).join(",")}`);
}

export function fromItem(item: Item): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const [key, attribute] of Object.entries(item)) value[key] = fromAttribute(attribute);
  return value;
}

function withoutKeys(item: Item, names: readonly string[]): Record<string, unknown> {
  const value = fromItem(item);
  for (const name of names) delete value[name];
  return value;
}

export function grantKey(id: string): Item {
  return { [PARTITION_KEY]: { S: grantPartition(id) }, [SORT_KEY]: { S: GRANT_SORT_KEY } };
}

export function tupleKey(target: AssignmentTarget): Item {
  return {
    [PARTITION_KEY]: { S: `TUPLE#${target.userId}#${target.accountId}#${target.permissionSetArn}` },
    [SORT_KEY]: { S: TUPLE_SORT_KEY },
  };
}

/** Grant item with its index attributes; `dueShard` only when the grant is due, so the index stays sparse. */
export function grantToItem(grant: Grant): Item {
  const item: Item = { ...toItem({ ...grant }), ...grantKey(grant.id) };
  item[REQUESTER_ATTRIBUTE] = { S: grant.requester.slackId };
  if (grant.dueAt !== undefined) item[DUE_SHARD_ATTRIBUTE] = { S: DUE_SHARD };
  return item;
}

export function itemToGrant(item: Item): Grant {
  return withoutKeys(item, [
    PARTITION_KEY,
    SORT_KEY,
    REQUESTER_ATTRIBUTE,
    DUE_SHARD_ATTRIBUTE,
  ]) as unknown as Grant;
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

/** Refusals have no grant, so they are kept per UTC day (YYYY-MM-DD). */
export function refusalPartition(day: string): string {
  return `REFUSAL#${day}`;
}

export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function auditToItem(event: AuditEvent, partition: string, seq: number): Item {
  return {
    ...toItem({ ...event }),
    [PARTITION_KEY]: { S: partition },
    [SORT_KEY]: { S: auditSortKey(event.at, seq) },
  };
}

export function itemToAudit(item: Item): AuditEvent {
  return withoutKeys(item, [PARTITION_KEY, SORT_KEY]) as unknown as AuditEvent;
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
