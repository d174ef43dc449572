import type { RefusalKind } from "../../app/errors.js";

/**
 * What an error from one SSO Admin (or Identity Store) call means for the bot:
 * - final: Identity Center said no and will say it again; never retried.
 * - retryable: throttling, a conflicting operation in flight, a server or network failure; retried with backoff.
 * - already-done: the call's purpose is already met (deleting an assignment Identity Center does not have).
 */
export type Verdict =
  | { outcome: "final"; kind: RefusalKind; code: string }
  | { outcome: "retryable"; code: string }
  | { outcome: "already-done"; code: string };

/** Refusals that the API reference documents for the assignment operations, by AWS error name. */
const REFUSALS: Record<string, RefusalKind> = {
  AccessDeniedException: "access-denied",
  ValidationException: "invalid",
  ResourceNotFoundException: "not-found",
  ServiceQuotaExceededException: "quota",
};

/** Errors that name a problem with the caller's credentials rather than with the request. */
const CREDENTIAL_ERRORS = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "SignatureDoesNotMatch",
]);

const RETRYABLE_NAMES = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "ConflictException",
  "InternalServerException",
  "ServiceUnavailableException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  // The SDK refreshes temporary credentials on the next attempt.
  "ExpiredTokenException",
  "RequestExpired",
]);

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
]);

const STATUS_POLLS = new Set([
  "DescribeAccountAssignmentCreationStatus",
  "DescribeAccountAssignmentDeletionStatus",
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * The one place that decides what an SSO Admin or Identity Store error means. Anything that is not an explicit
 * answer from AWS (a bug, a network failure, a response that could not be read) is retryable: only Identity
 * Center itself can refuse, and a creation whose answer was lost may still have been accepted.
 */
export function classify(operation: string, error: unknown): Verdict {
  if (typeof error !== "object" || error === null) return { outcome: "retryable", code: "UnknownError" };
  const e = error as ErrorShape;
  const name = typeof e.name === "string" ? e.name : "Error";
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return { outcome: "retryable", code: e.code };
  if (RETRYABLE_NAMES.has(name)) return { outcome: "retryable", code: name };
  if (e.$metadata === undefined) return { outcome: "retryable", code: name };
  const status = e.$metadata.httpStatusCode ?? 0;
  if (name === "ResourceNotFoundException") {
    // Deleting what is not there is done; a request id just returned may not be readable yet.
    if (operation === "DeleteAccountAssignment") return { outcome: "already-done", code: name };
    if (STATUS_POLLS.has(operation)) return { outcome: "retryable", code: name };
  }
  const kind = REFUSALS[name];
  if (kind) return { outcome: "final", kind, code: name };
  if (e.$retryable !== undefined || status === 429 || status >= 500 || status < 400) {
    return { outcome: "retryable", code: name };
  }
  if (CREDENTIAL_ERRORS.has(name)) return { outcome: "final", kind: "access-denied", code: name };
  return { outcome: "final", kind: "invalid", code: name };
}
