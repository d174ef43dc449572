import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * Per-attempt limits: a half-open connection or a call that never answers fails within seconds and is retried by
 * the SDK (a retried transaction counts once: it carries a token), instead of holding a drive, its claim renewals
 * and the engine's lease for as long as the function may run.
 */
export const DYNAMODB_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 10_000 } as const;

/** The DynamoDB client every entry point uses; region, credentials and the endpoint come from the SDK's settings. */
export function dynamoClient(
  timeouts: { connectionTimeout: number; requestTimeout: number } = DYNAMODB_TIMEOUTS,
): DynamoDBClient {
  return new DynamoDBClient({ requestHandler: { ...timeouts, throwOnRequestTimeout: true } });
}
