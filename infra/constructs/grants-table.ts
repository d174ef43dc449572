import type { KeySchemaElement, Projection } from "@aws-sdk/client-dynamodb";
import { RemovalPolicy } from "aws-cdk-lib";
import { type Attribute, AttributeType, BillingMode, ProjectionType, Table } from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import { grantsTableDefinition, TTL_ATTRIBUTE } from "../../src/adapters/dynamodb/table.js";
import { FlatConstruct } from "../logical-ids.js";

/**
 * The grants table: grants, audit trail, tuples and notices; retained, recoverable and deletion-protected. Keys and
 * indexes come from the store's own definition (the one `init-table` creates), so the two cannot drift apart.
 */
export class GrantsTable extends FlatConstruct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const definition = grantsTableDefinition("defined-by-the-stack");
    const types = new Map(definition.AttributeDefinitions?.map((a) => [a.AttributeName, a.AttributeType]));
    const key = (schema: KeySchemaElement[] | undefined, role: "HASH" | "RANGE"): Attribute | undefined => {
      const name = schema?.find((element) => element.KeyType === role)?.AttributeName;
      if (name === undefined) return undefined;
      return { name, type: attributeType(types.get(name)) };
    };
    const partitionKey = key(definition.KeySchema, "HASH");
    if (!partitionKey) throw new Error("the store's table definition has no partition key");
    this.table = new Table(this, "Grants", {
      partitionKey,
      ...optional("sortKey", key(definition.KeySchema, "RANGE")),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Epoch seconds after which DynamoDB deletes an item: delivered notices, leases. Items without it stay.
      timeToLiveAttribute: TTL_ATTRIBUTE,
    });
    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      const indexKey = key(index.KeySchema, "HASH");
      if (!index.IndexName || !indexKey)
        throw new Error("an index of the store's definition lacks a name or key");
      this.table.addGlobalSecondaryIndex({
        indexName: index.IndexName,
        partitionKey: indexKey,
        ...optional("sortKey", key(index.KeySchema, "RANGE")),
        ...projection(index.Projection),
      });
    }
  }
}

function optional<K extends string, V>(name: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, V>);
}

function attributeType(type: string | undefined): AttributeType {
  if (type === "S") return AttributeType.STRING;
  if (type === "N") return AttributeType.NUMBER;
  if (type === "B") return AttributeType.BINARY;
  throw new Error(`the store's table definition gives a key attribute the type ${type}`);
}

function projection(given: Projection | undefined): {
  projectionType: ProjectionType;
  nonKeyAttributes?: string[];
} {
  if (given?.ProjectionType === "KEYS_ONLY") return { projectionType: ProjectionType.KEYS_ONLY };
  if (given?.ProjectionType === "INCLUDE") {
    return { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: given.NonKeyAttributes ?? [] };
  }
  return { projectionType: ProjectionType.ALL };
}
