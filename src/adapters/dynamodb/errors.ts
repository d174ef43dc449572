import { ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { ServiceError } from "../../app/errors.js";
import { DomainError } from "../../domain/errors.js";

/** The grants table does not exist: the operator must run `init-table` (or deploy the stack). */
export class GrantsTableMissing extends ServiceError {
  readonly code = "GRANTS_TABLE_MISSING";
  readonly service = "DynamoDB" as const;
  constructor(
    readonly tableName: string,
    options?: { cause?: unknown },
  ) {
    super(`DynamoDB table ${tableName} does not exist; run \`init-table\` to create it`, {
      ...options,
      retryable: false,
    });
  }
}

/** DynamoDB refused or could not serve a request (throttling, network, permissions); the SDK error is the cause. */
export class StoreUnavailable extends ServiceError {
  readonly code = "STORE_UNAVAILABLE";
  readonly service = "DynamoDB" as const;
  constructor(
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.name}: ${options.cause.message}` : "";
    super(`DynamoDB ${operation} failed${detail}`, options);
  }
}

/** The table predates the audit index: `init-table` adds it (or deploy the stack). */
export class AuditIndexMissing extends ServiceError {
  readonly code = "AUDIT_INDEX_MISSING";
  readonly service = "DynamoDB" as const;
  constructor(
    readonly tableName: string,
    options?: { cause?: unknown },
  ) {
    super(
      `DynamoDB table ${tableName} has no audit index (auditByDay) yet; run \`init-table\` to add it, or deploy the stack`,
      { ...options, retryable: false },
    );
  }
}

/** Turns an SDK failure into one of this module's errors; domain and service errors pass through unchanged. */
export function translateError(error: unknown, operation: string, tableName: string): Error {
  if (error instanceof DomainError || error instanceof ServiceError) return error;
  if (error instanceof ResourceNotFoundException) return new GrantsTableMissing(tableName, { cause: error });
  return new StoreUnavailable(operation, { cause: error });
}
