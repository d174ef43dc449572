import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";

/** Key and index names shared with the CDK stack: both must describe the same table. */
export const PARTITION_KEY = "pk";
export const SORT_KEY = "sk";
export const GRANT_SORT_KEY = "GRANT";
export const TUPLE_SORT_KEY = "TUPLE";
/** A request of several parts: `REQUEST#<id>` lists its grant ids. */
export const REQUEST_SORT_KEY = "REQUEST";
export const AUDIT_SORT_PREFIX = "AUDIT#";

/** Sparse index of grants the sweep must look at; one constant partition keeps `due` a single Query. */
export const DUE_INDEX = "due";
export const DUE_SHARD_ATTRIBUTE = "dueShard";
export const DUE_SHARD = "DUE";
export const DUE_AT_ATTRIBUTE = "dueAt";
/** Notices owed to Slack share the due index under their own shard. */
export const NOTICE_SHARD = "NOTICE";
export const NOTICE_SORT_KEY = "NOTICE";
/** Epoch seconds after which DynamoDB may delete the item (delivered notices); the CDK table enables it. */
export const TTL_ATTRIBUTE = "ttl";
/** Names the change that last wrote a grant, so a retried write whose answer was lost counts as done. */
export const WRITE_TOKEN_ATTRIBUTE = "writeToken";

/**
 * Sparse index of the audit trail by UTC day (`AUDIT#2026-11-30`), in time order by the table's own sort key
 * (`AUDIT#<ms>#<seq>#<random>`), for `audit`: every audit item and refusal carries the day, nothing else does.
 */
export const AUDIT_INDEX = "auditByDay";
export const AUDIT_DAY_ATTRIBUTE = "auditDay";
/** Copied onto each audit item from its grant (or a refusal's detail), lower-cased, so the index can filter. */
export const AUDIT_REQUESTER_ATTRIBUTE = "auditRequester";
export const AUDIT_ACCOUNT_ATTRIBUTE = "auditAccount";
export const AUDIT_PERMISSION_SET_ATTRIBUTE = "auditPermissionSet";

/** Index of a requester's grants by creation time, for `list`. */
export const REQUESTER_INDEX = "byRequester";
export const REQUESTER_ATTRIBUTE = "requesterSlackId";
export const CREATED_AT_ATTRIBUTE = "createdAt";

/** The full table definition, so `init-table` and the tests build exactly what the CDK stack deploys. */
export function grantsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: "S" },
      { AttributeName: SORT_KEY, AttributeType: "S" },
      { AttributeName: DUE_SHARD_ATTRIBUTE, AttributeType: "S" },
      { AttributeName: DUE_AT_ATTRIBUTE, AttributeType: "N" },
      { AttributeName: REQUESTER_ATTRIBUTE, AttributeType: "S" },
      { AttributeName: CREATED_AT_ATTRIBUTE, AttributeType: "N" },
      { AttributeName: AUDIT_DAY_ATTRIBUTE, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: "HASH" },
      { AttributeName: SORT_KEY, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: DUE_INDEX,
        KeySchema: [
          { AttributeName: DUE_SHARD_ATTRIBUTE, KeyType: "HASH" },
          { AttributeName: DUE_AT_ATTRIBUTE, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
      {
        IndexName: REQUESTER_INDEX,
        KeySchema: [
          { AttributeName: REQUESTER_ATTRIBUTE, KeyType: "HASH" },
          { AttributeName: CREATED_AT_ATTRIBUTE, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
      {
        IndexName: AUDIT_INDEX,
        KeySchema: [
          { AttributeName: AUDIT_DAY_ATTRIBUTE, KeyType: "HASH" },
          { AttributeName: SORT_KEY, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  };
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/** Adds the definition's indexes an older table lacks, one per UpdateTable as DynamoDB requires; returns how many. */
async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<number> {
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const definition = grantsTableDefinition(tableName);
  const missing = (definition.GlobalSecondaryIndexes ?? []).filter((index) => !present.has(index.IndexName));
  for (const index of missing) {
    const keys = new Set(index.KeySchema?.map((key) => key.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: definition.AttributeDefinitions?.filter((a) => keys.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    await waitUntilIndexActive(client, tableName, index.IndexName ?? "");
  }
  return missing.length;
}

/** Waits (up to five minutes) while DynamoDB fills a new index; it goes on filling after that if need be. */
async function waitUntilIndexActive(
  client: DynamoDBClient,
  tableName: string,
  indexName: string,
): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (let pause = 500; Date.now() < deadline; pause = Math.min(pause * 2, 5_000)) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === indexName);
    if (Table?.TableStatus === "ACTIVE" && index?.IndexStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  await waitUntilTableExists(
    { client, minDelay: 1, maxDelay: 5, maxWaitTime: 300 },
    { TableName: tableName },
  );
}

/**
 * Creates the grants table and its indexes, waiting until usable; safe to run again: on an existing table it
 * adds the indexes it lacks ("updated"; DynamoDB fills them in the background) and otherwise does nothing.
 */
export async function createGrantsTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<"created" | "exists" | "updated"> {
  if (await tableExists(client, tableName)) {
    await waitUntilActive(client, tableName);
    return (await addMissingIndexes(client, tableName)) > 0 ? "updated" : "exists";
  }
  try {
    await client.send(new CreateTableCommand(grantsTableDefinition(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await waitUntilActive(client, tableName);
    return "exists";
  }
  await waitUntilActive(client, tableName);
  return "created";
}
