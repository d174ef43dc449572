import { ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { DomainError } from "../../domain/errors.js";

/** The grants table does not exist: the operator must run `init-table` (or deploy the stack). */
export class GrantsTableMissing extends DomainError {
  readonly code = "GRANTS_TABLE_MISSING";
  constructor(
    readonly tableName: string,
    options?: { cause?: unknown },
  ) {
    super(`DynamoDB table ${tableName} does not exist; run \`init-table\` to create it`, options);
  }
}

/** DynamoDB refused or could not serve a request (throttling, network, permissions); the SDK error is the cause. */
export class StoreUnavailable extends DomainError {
  readonly code = "STORE_UNAVAILABLE";
  constructor(
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.name}: ${options.cause.message}` : "";
    super(`DynamoDB ${operation} failed${detail}`, options);
  }
}

/** Turns an SDK failure into one of this module's errors; domain errors pass through unchanged. */
export function translateError(error: unknown, operation: string, tableName: string): Error {
  if (error instanceof DomainError) return error;
  if (error instanceof ResourceNotFoundException) return new GrantsTableMissing(tableName, { cause: error });
  return new StoreUnavailable(operation, { cause: error });
}
