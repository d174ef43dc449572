import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";

/** Key and index names shared with the CDK stack: both must describe the same table. */
export const PARTITION_KEY = "pk";
export const SORT_KEY = "sk";
export const GRANT_SORT_KEY = "GRANT";
export const TUPLE_SORT_KEY = "TUPLE";
export const AUDIT_SORT_PREFIX = "AUDIT#";

/** Sparse index of grants the sweep must look at; one constant partition keeps `due` a single Query. */
export const DUE_INDEX = "due";
export const DUE_SHARD_ATTRIBUTE = "dueShard";
export const DUE_SHARD = "DUE";
export const DUE_AT_ATTRIBUTE = "dueAt";

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

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  await waitUntilTableExists(
    { client, minDelay: 1, maxDelay: 5, maxWaitTime: 300 },
    { TableName: tableName },
  );
}

/** Creates the grants table and its indexes, waiting until usable; safe to run again ("exists"). */
export async function createGrantsTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<"created" | "exists"> {
  if (await tableExists(client, tableName)) {
    await waitUntilActive(client, tableName);
    return "exists";
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
