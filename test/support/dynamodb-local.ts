import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export { type DynamoDbLocal, freePort, startDynamoDbLocal } from "../../src/sim/dynamodb-local.js";

/** A DynamoDB client for DynamoDB Local (or a proxy in front of it) at `endpoint`. */
export function localDynamo(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}
