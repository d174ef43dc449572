import { type DynamoDBClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/client-dynamodb";
import type { AuditEntry, AuditQuery, Page } from "../../app/ports.js";
import { AuditIndexMissing, translateError } from "./errors.js";
import {
  auditDayPartition,
  auditSortRange,
  type Item,
  itemToAuditEntry,
  nextUtcDay,
  utcDay,
} from "./marshalling.js";
import {
  AUDIT_ACCOUNT_ATTRIBUTE,
  AUDIT_DAY_ATTRIBUTE,
  AUDIT_INDEX,
  AUDIT_REQUESTER_ATTRIBUTE,
  SORT_KEY,
} from "./table.js";

/** Where a read of the audit index stopped: the day partition and DynamoDB's LastEvaluatedKey in it. */
interface Position {
  day: string;
  key?: Item;
}

function encodePosition(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

function decodePosition(cursor: string): Position {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch (error) {
    throw new Error("invalid paging cursor", { cause: error });
  }
  const position = value as Partial<Position> | null;
  const keyOk = position?.key === undefined || (typeof position.key === "object" && position.key !== null);
  if (typeof position?.day !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(position.day) || !keyOk) {
    throw new Error("invalid paging cursor");
  }
  return position.key === undefined ? { day: position.day } : { day: position.day, key: position.key };
}

/** Query input for one day of the audit index, between two times, with the requester and account filters. */
function dayQuery(day: string, query: AuditQuery): Omit<QueryCommandInput, "TableName"> {
  const { low, high } = auditSortRange(query.from, query.to);
  const names: Record<string, string> = { "#day": AUDIT_DAY_ATTRIBUTE, "#sk": SORT_KEY };
  const values: Record<string, { S: string }> = {
    ":day": { S: auditDayPartition(day) },
    ":low": { S: low },
    ":high": { S: high },
  };
  const filters: string[] = [];
  if (query.requester !== undefined) {
    names["#requester"] = AUDIT_REQUESTER_ATTRIBUTE;
    values[":requester"] = { S: query.requester };
    filters.push("#requester = :requester");
  }
  if (query.account !== undefined) {
    names["#account"] = AUDIT_ACCOUNT_ATTRIBUTE;
    values[":account"] = { S: query.account };
    filters.push("#account = :account");
  }
  return {
    IndexName: AUDIT_INDEX,
    KeyConditionExpression: "#day = :day AND #sk BETWEEN :low AND :high",
    ...(filters.length > 0 ? { FilterExpression: filters.join(" AND ") } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: true,
  };
}

/**
 * Reads the audit index day by day, oldest first, until `limit` entries or the end of the range: one Query per
 * day partition and page, never a Scan. The cursor names the day and the key to go on from.
 */
export async function queryAuditIndex(
  client: DynamoDBClient,
  tableName: string,
  query: AuditQuery,
  cursor: string | undefined,
  limit: number,
): Promise<Page<AuditEntry>> {
  const lastDay = utcDay(query.to);
  let position: Position = cursor === undefined ? { day: utcDay(query.from) } : decodePosition(cursor);
  const items: AuditEntry[] = [];
  while (position.day <= lastDay && items.length < limit && query.from <= query.to) {
    const page = await send(client, tableName, {
      ...dayQuery(position.day, query),
      Limit: limit - items.length,
      ...(position.key ? { ExclusiveStartKey: position.key } : {}),
    });
    items.push(...(page.Items ?? []).map(itemToAuditEntry));
    position = page.LastEvaluatedKey
      ? { day: position.day, key: page.LastEvaluatedKey }
      : { day: nextUtcDay(position.day) };
  }
  const more = position.day <= lastDay && query.from <= query.to;
  return more ? { items, cursor: encodePosition(position) } : { items };
}

async function send(client: DynamoDBClient, tableName: string, input: Omit<QueryCommandInput, "TableName">) {
  try {
    return await client.send(new QueryCommand({ TableName: tableName, ...input }));
  } catch (error) {
    const name = (error as { name?: unknown }).name;
    const message = error instanceof Error ? error.message : "";
    if (name === "ValidationException" && /specified index/i.test(message)) {
      throw new AuditIndexMissing(tableName, { cause: error });
    }
    throw translateError(error, "auditBetween", tableName);
  }
}
