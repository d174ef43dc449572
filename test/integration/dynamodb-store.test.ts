import { randomBytes } from "node:crypto";
import {
  BatchWriteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GrantsTableMissing, StoreUnavailable } from "../../src/adapters/dynamodb/errors.js";
import { grantKey, grantToItem } from "../../src/adapters/dynamodb/marshalling.js";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import {
  AUDIT_INDEX,
  createGrantsTable,
  DUE_AT_ATTRIBUTE,
  DUE_INDEX,
  DUE_SHARD_ATTRIBUTE,
  REQUESTER_INDEX,
} from "../../src/adapters/dynamodb/table.js";
import { GrantChangedConcurrently } from "../../src/domain/errors.js";
import type { Grant } from "../../src/domain/grant.js";
import { freePort } from "../support/dynamodb-local.js";
import { aGrant } from "../support/grant-builder.js";
import { describeGrantStoreContract } from "../support/store-contract.js";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const client = new DynamoDBClient({ endpoint: inject("dynamoEndpoint"), region: "us-east-1", credentials });
const tableName = `grants-${randomBytes(4).toString("hex")}`;

beforeAll(async () => {
  await createGrantsTable(client, tableName);
});

afterAll(() => {
  client.destroy();
});

/** BatchWriteItem in parallel chunks of 25, retrying what DynamoDB leaves unprocessed. */
async function batchPut(grants: Grant[]): Promise<void> {
  const chunks = Array.from({ length: Math.ceil(grants.length / 25) }, (_, i) =>
    grants.slice(i * 25, i * 25 + 25),
  );
  await Promise.all(
    chunks.map(async (chunk) => {
      let requests: WriteRequest[] = chunk.map((g) => ({ PutRequest: { Item: grantToItem(g) } }));
      while (requests.length > 0) {
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
        requests = out.UnprocessedItems?.[tableName] ?? [];
      }
    }),
  );
}

describeGrantStoreContract(
  "DynamoGrantStore",
  () => new DynamoGrantStore(client, tableName),
  (_store, grants) => batchPut(grants),
);

describe("DynamoGrantStore", () => {
  it("creates the table once and then reports that it exists", async () => {
    const name = `grants-${randomBytes(4).toString("hex")}`;
    expect(await createGrantsTable(client, name)).toBe("created");
    expect(await createGrantsTable(client, name)).toBe("exists");
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.TableStatus).toBe("ACTIVE");
    expect(Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
    const indexes = Object.fromEntries(
      (Table?.GlobalSecondaryIndexes ?? []).map((i) => [
        i.IndexName,
        i.KeySchema?.map((k) => k.AttributeName),
      ]),
    );
    expect(indexes).toEqual({
      [DUE_INDEX]: ["dueShard", "dueAt"],
      [REQUESTER_INDEX]: ["requesterSlackId", "createdAt"],
      [AUDIT_INDEX]: ["auditDay", "sk"],
    });
  });

  it("keeps the due index sparse: a grant without dueAt carries no dueShard", async () => {
    const store = new DynamoGrantStore(client, tableName);
    const grant = aGrant({ dueAt: 1_000 });
    await store.create(grant, []);
    const raw = async () =>
      (await client.send(new GetItemCommand({ TableName: tableName, Key: grantKey(grant.id) }))).Item ?? {};
    expect(Object.keys(await raw())).toEqual(expect.arrayContaining([DUE_SHARD_ATTRIBUTE, DUE_AT_ATTRIBUTE]));
    const { dueAt: _removed, ...ended } = grant;
    await store.save({
      grant: { ...ended, status: "cancelled", version: 2 } as Grant,
      expect: { status: "pending", version: 1 },
      audit: [],
    });
    expect(Object.keys(await raw())).not.toContain(DUE_SHARD_ATTRIBUTE);
    expect(Object.keys(await raw())).not.toContain(DUE_AT_ATTRIBUTE);
  });

  it("hands out an opaque cursor and refuses one it did not make", async () => {
    const store = new DynamoGrantStore(client, tableName);
    await store.create(aGrant({ dueAt: 1 }), []);
    await store.create(aGrant({ dueAt: 2 }), []);
    const page = await store.due(2, undefined, 1);
    expect(page.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    await expect(store.due(2, "not a cursor!", 1)).rejects.toThrow(/invalid paging cursor/);
  });

  it.each([
    { conflicts: 2, outcome: "saves once the other transactions are done" },
    { conflicts: 99, outcome: "gives up with the freshly read grant" },
  ])(
    "retries a save that collides with other transactions $conflicts times: $outcome",
    async ({ conflicts }) => {
      let left = conflicts;
      const colliding = {
        send: (command: unknown) =>
          command instanceof TransactWriteItemsCommand && left-- > 0
            ? Promise.reject(
                new TransactionCanceledException({
                  message: "Transaction cancelled",
                  $metadata: {},
                  CancellationReasons: [{ Code: "TransactionConflict" }],
                }),
              )
            : client.send(command as TransactWriteItemsCommand),
      } as unknown as DynamoDBClient;
      const store = new DynamoGrantStore(client, tableName);
      const grant = aGrant();
      await store.create(grant, []);
      const next = { ...grant, status: "denied" as const, version: 2 } as Grant;
      const save = new DynamoGrantStore(colliding, tableName).save({
        grant: next,
        expect: { status: "pending", version: 1 },
        audit: [],
      });
      if (conflicts < 5) {
        await save;
        expect(await store.get(grant.id)).toEqual(next);
      } else {
        const error = await save.catch((e) => e);
        expect(error).toBeInstanceOf(GrantChangedConcurrently);
        expect(error.current).toEqual(grant);
      }
    },
  );

  it("reports a missing table as GrantsTableMissing", async () => {
    const store = new DynamoGrantStore(client, "no-such-table");
    await expect(store.get("abc")).rejects.toBeInstanceOf(GrantsTableMissing);
    await expect(store.create(aGrant(), [])).rejects.toBeInstanceOf(GrantsTableMissing);
  });

  it("reports an unreachable endpoint as StoreUnavailable", async () => {
    const offline = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${await freePort()}`,
      region: "us-east-1",
      credentials,
      maxAttempts: 1,
    });
    try {
      await expect(new DynamoGrantStore(offline, tableName).get("abc")).rejects.toBeInstanceOf(
        StoreUnavailable,
      );
    } finally {
      offline.destroy();
    }
  });
});
