/** Base of the Identity Center adapter's own failures: a stable `code`, the SDK error kept as `cause`. */
export abstract class IdentityCenterError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No Identity Center instance is visible to these credentials, or not the configured one. */
export class InstanceNotFound extends IdentityCenterError {
  readonly code = "IC_INSTANCE_NOT_FOUND";
}

/** Identity Center refused a call for a reason retrying cannot fix (access denied, validation, not found). */
export class IdentityCenterRequestFailed extends IdentityCenterError {
  readonly code = "IC_REQUEST_FAILED";
  constructor(
    readonly operation: string,
    /** The AWS error name, e.g. AccessDeniedException. */
    readonly awsCode: string,
    options?: { cause?: unknown },
  ) {
    const detail = options?.cause instanceof Error ? options.cause.message : String(options?.cause);
    super(`Identity Center ${operation} failed: ${awsCode}: ${detail}`, options);
  }
}

/** Throttling, conflicts or server errors outlasted every retry. */
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
      options,
    );
  }
}

/** A creation or deletion was still IN_PROGRESS when polling gave up; it may still land. */
export class StillInProgress extends IdentityCenterError {
  readonly code = "IC_STILL_IN_PROGRESS";
  constructor(
    readonly requestId: string,
    readonly waitedMs: number,
  ) {
    super(
      `Identity Center request ${requestId} was still in progress after ${Math.round(waitedMs / 1000)} s`,
    );
  }
}

/** Identity Center answered without a field the adapter relies on. */
export class UnexpectedResponse extends IdentityCenterError {
  readonly code = "IC_UNEXPECTED_RESPONSE";
}

/** AWS error name of an SDK error, or undefined for anything else. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { name?: unknown; $metadata?: unknown };
  return e.$metadata !== undefined && typeof e.name === "string" ? e.name : undefined;
}

/** Turns whatever an SDK call threw into an adapter error, keeping adapter errors as they are. */
export function translate(operation: string, error: unknown): Error {
  if (error instanceof IdentityCenterError) return error;
  return new IdentityCenterRequestFailed(operation, awsErrorName(error) ?? "NetworkError", { cause: error });
}
