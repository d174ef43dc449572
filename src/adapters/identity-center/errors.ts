import { AssignmentRefused, type RefusalKind, ServiceError } from "../../app/errors.js";
import { classify } from "./classify.js";

/** Base of the Identity Center adapter's own failures: a stable `code`, the SDK error kept as `cause`. */
export abstract class IdentityCenterError extends ServiceError {
  readonly service = "Identity Center" as const;
}

/** No Identity Center instance is visible to these credentials, or not the configured one. */
export class InstanceNotFound extends IdentityCenterError {
  readonly code = "IC_INSTANCE_NOT_FOUND";
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

/**
 * A read (lookup, list, status poll) refused for a reason retrying cannot fix. Unlike AssignmentRefused it says
 * nothing about whether an assignment changed: a refused status poll leaves the creation it asks about unknown.
 */
export class IdentityCenterRequestFailed extends IdentityCenterError {
  readonly code = "IC_REQUEST_FAILED";
  constructor(
    readonly operation: string,
    /** The AWS error name, e.g. AccessDeniedException. */
    readonly awsCode: string,
    readonly kind: RefusalKind,
    options?: { cause?: unknown },
  ) {
    super(`Identity Center ${operation} failed: ${awsCode}: ${detailOf(options?.cause)}`, {
      ...options,
      retryable: false,
    });
  }
}

/** Throttling, conflicts, server or network errors outlasted every retry: the same call may work later. */
export class RetriesExhausted extends IdentityCenterError {
  readonly code = "IC_RETRIES_EXHAUSTED";
  constructor(
    readonly operation: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    const last = options?.cause instanceof Error ? options.cause.name : "error";
    super(
      `Identity Center ${operation} still failing (${last}) after ${attempts} attempts; retries exhausted`,
      { ...options, retryable: true },
    );
  }
}

/** Identity Center answered without a field the adapter relies on. */
export class UnexpectedResponse extends IdentityCenterError {
  readonly code = "IC_UNEXPECTED_RESPONSE";
}

/** The call's purpose was already met (a deletion of an assignment Identity Center does not have). */
export class AlreadyDone extends IdentityCenterError {
  readonly code = "IC_ALREADY_DONE";
  constructor(
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(`Identity Center ${operation}: nothing to do: ${detailOf(options?.cause)}`, {
      ...options,
      retryable: false,
    });
  }
}

/** The calls that change assignments: a final answer to them is a refusal of the change itself. */
const WRITES = new Set(["CreateAccountAssignment", "DeleteAccountAssignment"]);

/**
 * Turns whatever an SDK call threw (after its retries) into a ServiceError, by the one classification:
 * AssignmentRefused for a refused Create/Delete, IdentityCenterRequestFailed for a refused read.
 */
export function translate(operation: string, error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  const verdict = classify(operation, error);
  if (verdict.outcome === "already-done") return new AlreadyDone(operation, { cause: error });
  if (verdict.outcome === "retryable") return new RetriesExhausted(operation, 1, { cause: error });
  if (WRITES.has(operation)) {
    return new AssignmentRefused(operation, verdict.kind, `${verdict.code}: ${detailOf(error)}`, {
      cause: error,
    });
  }
  return new IdentityCenterRequestFailed(operation, verdict.code, verdict.kind, { cause: error });
}

/** AWS error name of an SDK error, or undefined for anything else. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { name?: unknown; $metadata?: unknown };
  return e.$metadata !== undefined && typeof e.name === "string" ? e.name : undefined;
}

/** The SDK error's message, for logs and the audit trail (never for Slack). */
export function detailOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
