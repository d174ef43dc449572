import {
  type CancellationReason,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  IdempotentParameterMismatchException,
  type Put,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
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
import { queryAuditIndex } from "./audit-query.js";
import { translateError } from "./errors.js";
import {
  auditToItem,
  decodeCursor,
  encodeCursor,
  grantIdsOf,
  grantKey,
  grantPartition,
  grantToItem,
  type Item,
  itemToAudit,
  itemToGrant,
  itemToNotice,
  itemToTuple,
  noticeToItem,
  refusalPartition,
  requestKey,
  tupleKey,
  tupleToItem,
  utcDay,
  writeTokenOf,
} from "./marshalling.js";
import {
  auditPuts,
  CONFLICT_ATTEMPTS,
  createRequestItems,
  grantPut,
  jitteredPause,
  NOT_EXISTS,
  noticePuts,
  type ReadGrant,
  saveAllItems,
  transactSeveral,
} from "./several.js";
import {
  AUDIT_SORT_PREFIX,
  DUE_INDEX,
  DUE_SHARD,
  NOTICE_SHARD,
  NOTICE_SORT_KEY,
  REQUESTER_INDEX,
} from "./table.js";

type Condition = Pick<Put, "ConditionExpression" | "ExpressionAttributeNames" | "ExpressionAttributeValues">;

function tupleCondition(expectVersion: number | undefined): Condition {
  if (expectVersion === undefined) return { ConditionExpression: NOT_EXISTS };
  return {
    ConditionExpression: "#version = :tupleVersion",
    ExpressionAttributeNames: { "#version": "version" },
    ExpressionAttributeValues: { ":tupleVersion": { N: String(expectVersion) } },
  };
}

function tupleLost(target: AssignmentTarget, cause: unknown): TupleChangedConcurrently {
  const key = `${target.userId}/${target.accountId}/${target.permissionSetArn}`;
  return new TupleChangedConcurrently(`assignment ${key} was changed by someone else`, { cause });
}

/** GrantStore over one DynamoDB table (see table.ts); every state change is one conditional transaction. */
export class DynamoGrantStore implements GrantStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(grant: Grant, audit: AuditEvent[], notices: Notice[] = []): Promise<void> {
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: grantToItem(grant),
          ConditionExpression: NOT_EXISTS,
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      ...this.auditPuts(grant, audit),
      ...this.noticePuts(notices),
    ];
    await this.transactGrant("create", grant.id, items);
  }

  async createRequest(requestId: string, parts: NewGrant[]): Promise<void> {
    const owned = createRequestItems(this.tableName, requestId, parts);
    await transactSeveral(this.client, this.tableName, "createRequest", owned, [], this.reader());
  }

  async requestParts(requestId: string): Promise<Grant[]> {
    const item = await this.getItem("requestParts", requestKey(requestId));
    if (item === undefined) return [];
    const grants = await Promise.all(grantIdsOf(item).map((id) => this.get(id)));
    return grants.filter((grant): grant is Grant => grant !== undefined);
  }

  async saveAll(changes: GrantChange[], unchanged: readonly GrantVersion[] = []): Promise<void> {
    const owned = saveAllItems(this.tableName, changes, unchanged);
    if (owned.items.length === 0) return;
    await transactSeveral(this.client, this.tableName, "saveAll", owned, changes, this.reader());
  }

  async get(id: string): Promise<Grant | undefined> {
    const item = await this.getItem("get", grantKey(id));
    return item === undefined ? undefined : itemToGrant(item);
  }

  async save(change: GrantChange): Promise<void> {
    const { grant, expect, audit, tuple } = change;
    if (grant.version !== expect.version + 1) {
      throw new Error(
        `grant ${grant.id}: version ${grant.version} must follow expected version ${expect.version}`,
      );
    }
    const items: TransactWriteItem[] = [
      grantPut(this.tableName, grant, expect, change.token),
      ...this.auditPuts(grant, audit),
      ...this.noticePuts(change.notices ?? []),
    ];
    // The tuple goes last: a cancellation reason at the last index is the tuple's condition.
    if (tuple !== undefined) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: tupleToItem(tuple.next),
          ...tupleCondition(tuple.expectVersion),
        },
      });
    }
    await this.transactGrant("save", grant.id, items, tuple?.next.target, change);
  }

  async dueNotices(before: number, limit = 100): Promise<Notice[]> {
    const page = await this.query("dueNotices", {
      IndexName: DUE_INDEX,
      KeyConditionExpression: "dueShard = :shard AND dueAt <= :before",
      ExpressionAttributeValues: { ":shard": { S: NOTICE_SHARD }, ":before": { N: String(before) } },
      ScanIndexForward: true,
      Limit: limit,
    });
    // The index lags the table: a notice already delivered may still show here; the sender's claim checks.
    return (page.Items ?? []).map(itemToNotice).filter((notice) => notice.state === "pending");
  }

  async noticesOf(grantId: string): Promise<Notice[]> {
    const notices: Notice[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.query("noticesOf", {
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: {
          ":pk": { S: grantPartition(grantId) },
          ":prefix": { S: `${NOTICE_SORT_KEY}#` },
        },
        ScanIndexForward: true,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      });
      notices.push(...(page.Items ?? []).map(itemToNotice));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return notices.filter((notice) => notice.state === "pending");
  }

  async saveNotice(next: Notice, expectVersion: number): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: noticeToItem(next),
          ConditionExpression: "#version = :expectVersion",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":expectVersion": { N: String(expectVersion) } },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new NoticeChangedConcurrently(`notice ${next.id} was changed by someone else`, {
          cause: error,
        });
      }
      throw translateError(error, "saveNotice", this.tableName);
    }
  }

  async getTuple(target: AssignmentTarget): Promise<AssignmentTuple | undefined> {
    const item = await this.getItem("getTuple", tupleKey(target));
    return item === undefined ? undefined : itemToTuple(item);
  }

  async saveTuple(next: AssignmentTuple, expectVersion: number | undefined): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: tupleToItem(next),
          ...tupleCondition(expectVersion),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw tupleLost(next.target, error);
      throw translateError(error, "saveTuple", this.tableName);
    }
  }

  async due(before: number, cursor?: string, limit = 100): Promise<Page<Grant>> {
    const startKey = decodeCursor(cursor);
    const page = await this.query("due", {
      IndexName: DUE_INDEX,
      KeyConditionExpression: "dueShard = :shard AND dueAt <= :before",
      ExpressionAttributeValues: { ":shard": { S: DUE_SHARD }, ":before": { N: String(before) } },
      ScanIndexForward: true,
      Limit: limit,
      ExclusiveStartKey: startKey,
    });
    const next = encodeCursor(page.LastEvaluatedKey);
    const items = (page.Items ?? []).map(itemToGrant);
    return next === undefined ? { items } : { items, cursor: next };
  }

  async byRequester(slackId: string, limit = 20): Promise<Grant[]> {
    const page = await this.query("byRequester", {
      IndexName: REQUESTER_INDEX,
      KeyConditionExpression: "requesterSlackId = :slackId",
      ExpressionAttributeValues: { ":slackId": { S: slackId } },
      ScanIndexForward: false,
      Limit: limit,
    });
    return (page.Items ?? []).map(itemToGrant);
  }

  async auditOf(grantId: string): Promise<AuditEvent[]> {
    return this.auditIn(grantPartition(grantId));
  }

  /** A refusal about a grant (an unauthorised click) joins that grant's trail; others are kept by day. */
  async recordRefusal(event: AuditEvent): Promise<void> {
    const partition = event.grantId ? grantPartition(event.grantId) : refusalPartition(utcDay(event.at));
    const grant = event.grantId ? await this.get(event.grantId) : undefined;
    const item = auditToItem(event, partition, 0, auditEntry(event, grant));
    try {
      await this.client.send(
        new PutItemCommand({ TableName: this.tableName, Item: item, ConditionExpression: NOT_EXISTS }),
      );
    } catch (error) {
      throw translateError(error, "recordRefusal", this.tableName);
    }
  }

  async auditBetween(query: AuditQuery, cursor?: string, limit = 500): Promise<Page<AuditEntry>> {
    return queryAuditIndex(this.client, this.tableName, query, cursor, limit);
  }

  /** Refusals recorded on one UTC day (YYYY-MM-DD), oldest first; for operators and tests. */
  async refusalsOn(day: string): Promise<AuditEvent[]> {
    return this.auditIn(refusalPartition(day));
  }

  private async auditIn(partition: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.query("auditOf", {
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": { S: partition }, ":prefix": { S: AUDIT_SORT_PREFIX } },
        ScanIndexForward: true,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      });
      events.push(...(page.Items ?? []).map(itemToAudit));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return events;
  }

  private auditPuts(grant: Grant, audit: AuditEvent[]): TransactWriteItem[] {
    return auditPuts(this.tableName, grant, audit);
  }

  private noticePuts(notices: Notice[]): TransactWriteItem[] {
    return noticePuts(this.tableName, notices);
  }

  /** Consistent reads of grant items, for the transactions of several grants. */
  private reader(): ReadGrant {
    return (id) => this.getItem("get", grantKey(id));
  }

  private async currentItem(id: string, reason: CancellationReason): Promise<Item | undefined> {
    return reason.Item ?? this.getItem("get", grantKey(id));
  }

  private async getItem(operation: string, key: Item): Promise<Item | undefined> {
    try {
      const out = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      return out.Item;
    } catch (error) {
      throw translateError(error, operation, this.tableName);
    }
  }

  private async query(operation: string, input: Omit<QueryCommandInput, "TableName">) {
    try {
      return await this.client.send(new QueryCommand({ TableName: this.tableName, ...input }));
    } catch (error) {
      throw translateError(error, operation, this.tableName);
    }
  }

  /**
   * Runs a grant's transaction: failed conditions become domain errors, collisions are retried with jitter. With
   * a change token, the SDK's retries are idempotent (ClientRequestToken) and a condition that fails because this
   * very change is already written counts as success.
   */
  private async transactGrant(
    operation: string,
    grantId: string,
    items: TransactWriteItem[],
    tuple?: AssignmentTarget,
    change?: GrantChange,
  ): Promise<void> {
    const token = change?.token;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: items,
            ...(token ? { ClientRequestToken: token } : {}),
          }),
        );
        return;
      } catch (error) {
        // The token was seen with other items (a resent change): done if the grant carries this change.
        if (token && error instanceof IdempotentParameterMismatchException) {
          const item = await this.getItem("get", grantKey(grantId));
          if (item && writeTokenOf(item) === token) return;
          throw new GrantChangedConcurrently(grantId, item && itemToGrant(item), { cause: error });
        }
        if (!(error instanceof TransactionCanceledException))
          throw translateError(error, operation, this.tableName);
        const reasons = error.CancellationReasons ?? [];
        const [grantReason] = reasons;
        if (grantReason?.Code === "ConditionalCheckFailed") {
          const item = await this.currentItem(grantId, grantReason);
          const current = item === undefined ? undefined : itemToGrant(item);
          if (token && item && writeTokenOf(item) === token && current?.version === change?.grant.version)
            return;
          throw new GrantChangedConcurrently(grantId, current, { cause: error });
        }
        if (tuple !== undefined && reasons[items.length - 1]?.Code === "ConditionalCheckFailed") {
          throw tupleLost(tuple, error);
        }
        if (!reasons.some((r) => r.Code === "TransactionConflict")) {
          throw translateError(error, operation, this.tableName);
        }
        if (attempt >= CONFLICT_ATTEMPTS) {
          throw new GrantChangedConcurrently(grantId, await this.get(grantId), { cause: error });
        }
        await jitteredPause(attempt);
      }
    }
  }
}
