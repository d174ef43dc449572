import { RetriesExhausted } from "./errors.js";

export interface RetryPolicy {
  /** Calls in all, the first included. */
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 10, baseMs: 200, maxMs: 10_000 };

const RETRYABLE_NAMES = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "ConflictException",
  "InternalServerException",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ENOTFOUND"]);

/** Throttling, conflicts with an operation in flight, 5xx and network failures are worth another try. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (e.name !== undefined && RETRYABLE_NAMES.has(e.name)) return true;
  if (e.$retryable !== undefined) return true;
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (status === 429 || status >= 500) return true;
  return e.code !== undefined && NETWORK_CODES.has(e.code);
}

/** Full-jitter exponential backoff: a uniform delay in [0, min(maxMs, baseMs * 2^retry)). */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  return Math.floor(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** retry));
}

/** Calls `fn` until it succeeds, fails for good, or the attempts run out (then RetriesExhausted). */
export async function withRetry<T>(
  operation: string,
  fn: () => Promise<T>,
  options: RetryPolicy & { sleep: (ms: number) => Promise<void>; random: () => number },
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (attempt >= options.maxAttempts) {
        throw new RetriesExhausted(operation, attempt, { cause: error });
      }
      await options.sleep(backoffMs(attempt - 1, options, options.random));
    }
  }
}
