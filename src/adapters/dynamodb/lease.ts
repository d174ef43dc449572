import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { Lease, LeaseStore } from "../../app/ports.js";
import { LeaseChangedConcurrently } from "../../domain/errors.js";
import { translateError } from "./errors.js";
import { fromItem, type Item, toItem } from "./marshalling.js";
import { PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from "./table.js";

const LEASE_SORT_KEY = "LEASE";
/** A lease nobody renewed for a day is removed by DynamoDB's TTL. */
const KEEP_SECONDS = 24 * 3600;

function leaseKey(name: string): Item {
  return { [PARTITION_KEY]: { S: `LEASE#${name}` }, [SORT_KEY]: { S: LEASE_SORT_KEY } };
}

/** Leases in the grants table, one item each; writes are conditional Puts (no update or delete needed). */
export class DynamoLeaseStore implements LeaseStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async readLease(name: string): Promise<Lease | undefined> {
    try {
      const out = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: leaseKey(name), ConsistentRead: true }),
      );
      if (!out.Item) return undefined;
      const value = fromItem(out.Item);
      delete value[PARTITION_KEY];
      delete value[SORT_KEY];
      delete value[TTL_ATTRIBUTE];
      return value as unknown as Lease;
    } catch (error) {
      throw translateError(error, "readLease", this.tableName);
    }
  }

  async writeLease(next: Lease, expectVersion: number | undefined): Promise<void> {
    const condition =
      expectVersion === undefined
        ? { ConditionExpression: `attribute_not_exists(${PARTITION_KEY})` }
        : {
            ConditionExpression: "#version = :expect",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: { ":expect": { N: String(expectVersion) } },
          };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...toItem({ ...next }),
            ...leaseKey(next.name),
            [TTL_ATTRIBUTE]: { N: String(Math.floor(next.until / 1000) + KEEP_SECONDS) },
          },
          ...condition,
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new LeaseChangedConcurrently(`lease ${next.name} was changed by someone else`, {
          cause: error,
        });
      }
      throw translateError(error, "writeLease", this.tableName);
    }
  }
}
