import {
  type DynamoDBClient,
  IdempotentParameterMismatchException,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { auditEntry } from "../../app/audit.js";
import type { GrantChange, GrantVersion, NewGrant, Notice } from "../../app/ports.js";
import { GrantChangedConcurrently } from "../../domain/errors.js";
import type { AuditEvent, Grant } from "../../domain/grant.js";
import { translateError } from "./errors.js";
import {
  auditToItem,
  grantKey,
  grantPartition,
  grantToItem,
  type Item,
  itemToGrant,
  noticeToItem,
  requestToItem,
  writeTokenOf,
} from "./marshalling.js";

/** Attempts of a transaction that keeps colliding with another transaction on the same items. */
export const CONFLICT_ATTEMPTS = 5;
export const NOT_EXISTS = "attribute_not_exists(pk)";

/** Items of one transaction, and for each the grant (or request) it belongs to. */
export interface Owned {
  items: TransactWriteItem[];
  owners: string[];
}

/** Reads a grant's item, consistently. */
export type ReadGrant = (id: string) => Promise<Item | undefined>;

/** A grant's audit events, in its partition and the audit index. */
export function auditPuts(tableName: string, grant: Grant, audit: AuditEvent[]): TransactWriteItem[] {
  return audit.map((event, seq) => ({
    Put: {
      TableName: tableName,
      Item: auditToItem(event, grantPartition(grant.id), seq, auditEntry(event, grant)),
      ConditionExpression: NOT_EXISTS,
    },
  }));
}

/** The condition that a grant is still at the status and version it was read at; the item is returned if not. */
function atVersion(expect: { status: string; version: number }) {
  return {
    ConditionExpression: "#status = :expectStatus AND #version = :expectVersion",
    ExpressionAttributeNames: { "#status": "status", "#version": "version" },
    ExpressionAttributeValues: {
      ":expectStatus": { S: expect.status },
      ":expectVersion": { N: String(expect.version) },
    },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
  };
}

/** The grant's next version, written only over the version and status it was read at. */
export function grantPut(
  tableName: string,
  grant: Grant,
  expect: GrantChange["expect"],
  token: string | undefined,
): TransactWriteItem {
  return {
    Put: { TableName: tableName, Item: grantToItem(grant, token), ...atVersion(expect) },
  };
}

/** Recorded once: a notice already there (a retried write) is left as it is. */
export function noticePuts(tableName: string, notices: Notice[]): TransactWriteItem[] {
  return notices.map((notice) => ({
    Put: {
      TableName: tableName,
      Item: noticeToItem(notice, notice.createdAt),
      ConditionExpression: NOT_EXISTS,
    },
  }));
}

/** The parts of a request, new, and the request item that lists them. */
export function createRequestItems(tableName: string, requestId: string, parts: NewGrant[]): Owned {
  const createdAt = parts[0]?.grant.createdAt ?? Date.now();
  const ids = parts.map(({ grant }) => grant.id);
  const owned: Owned = {
    items: [
      {
        Put: {
          TableName: tableName,
          Item: requestToItem(requestId, ids, createdAt),
          ConditionExpression: NOT_EXISTS,
        },
      },
    ],
    owners: [requestId],
  };
  for (const { grant, audit, notices } of parts) {
    add(owned, grant.id, [
      { Put: { TableName: tableName, Item: grantToItem(grant), ConditionExpression: NOT_EXISTS } },
      ...auditPuts(tableName, grant, audit),
      ...noticePuts(tableName, notices ?? []),
    ]);
  }
  return owned;
}

/** Changes to several grants, each conditional on the grant as it was read, as are the `unchanged` grants. */
export function saveAllItems(
  tableName: string,
  changes: GrantChange[],
  unchanged: readonly GrantVersion[] = [],
): Owned {
  const owned: Owned = { items: [], owners: [] };
  for (const change of changes) {
    const { grant, expect, audit } = change;
    if (change.tuple !== undefined || grant.version !== expect.version + 1) {
      throw new Error(`grant ${grant.id}: saveAll takes changes to the next version, without tuples`);
    }
    add(owned, grant.id, [
      grantPut(tableName, grant, expect, change.token),
      ...auditPuts(tableName, grant, audit),
      ...noticePuts(tableName, change.notices ?? []),
    ]);
  }
  for (const read of unchanged) add(owned, read.id, [unchangedCheck(tableName, read)]);
  return owned;
}

/** A grant this transaction writes nothing to, which must still be at the status and version it was read at. */
function unchangedCheck(tableName: string, read: GrantVersion): TransactWriteItem {
  return {
    ConditionCheck: { TableName: tableName, Key: grantKey(read.id), ...atVersion(read) },
  };
}

/**
 * Runs a transaction over several grants: a failed condition on one becomes GrantChangedConcurrently for it,
 * unless this very write is already there (its change token on the grant at its version); collisions are retried
 * with jitter. All of it is written or none.
 */
export async function transactSeveral(
  client: DynamoDBClient,
  tableName: string,
  operation: string,
  { items, owners }: Owned,
  changes: GrantChange[],
  read: ReadGrant,
): Promise<void> {
  const token = changes[0]?.token;
  const lost = async (id: string, cause: unknown, item?: Item) => {
    const current = item ?? (await read(id));
    return new GrantChangedConcurrently(id, current === undefined ? undefined : itemToGrant(current), {
      cause,
    });
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: items,
          ...(token ? { ClientRequestToken: token } : {}),
        }),
      );
      return;
    } catch (error) {
      if (token && error instanceof IdempotentParameterMismatchException) {
        if (await alreadyWritten(changes[0], read)) return;
        throw await lost(owners[0] ?? "", error);
      }
      if (!(error instanceof TransactionCanceledException)) throw translateError(error, operation, tableName);
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((r) => r.Code === "ConditionalCheckFailed");
      if (failed >= 0) {
        const id = owners[failed] ?? "";
        if (
          await alreadyWritten(
            changes.find((c) => c.grant.id === id),
            read,
          )
        )
          return;
        throw await lost(id, error, reasons[failed]?.Item);
      }
      if (!reasons.some((r) => r.Code === "TransactionConflict"))
        throw translateError(error, operation, tableName);
      if (attempt >= CONFLICT_ATTEMPTS) throw await lost(owners[0] ?? "", error);
      await jitteredPause(attempt);
    }
  }
}

/** Waits a little longer after each collision, with jitter, so colliding writers spread out. */
export function jitteredPause(attempt: number): Promise<void> {
  const ms = 10 * 2 ** attempt * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a change is on its grant already: the whole transaction it was part of was written. */
async function alreadyWritten(change: GrantChange | undefined, read: ReadGrant): Promise<boolean> {
  if (!change?.token) return false;
  const item = await read(change.grant.id);
  return (
    item !== undefined &&
    writeTokenOf(item) === change.token &&
    itemToGrant(item).version === change.grant.version
  );
}

function add(owned: Owned, owner: string, items: TransactWriteItem[]): void {
  owned.items.push(...items);
  owned.owners.push(...items.map(() => owner));
}
