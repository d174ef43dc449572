import { ServiceError } from "../../app/errors.js";
import { DomainError } from "../../domain/errors.js";
import { classify, type Verdict } from "./classify.js";
import { RetriesExhausted } from "./errors.js";

export interface RetryPolicy {
  /** Calls in all, the first included. */
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 10, baseMs: 200, maxMs: 10_000 };

export interface RetryOptions<T> extends RetryPolicy {
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Asked before backing off from a retryable error; a value it returns ends the call with that value. */
  onRetryable?: (verdict: Verdict, error: unknown) => Promise<T | undefined>;
}

/** Full-jitter exponential backoff: a uniform delay in [0, min(maxMs, baseMs * 2^retry)). */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  return Math.floor(random() * Math.min(policy.maxMs, policy.baseMs * 2 ** retry));
}

/**
 * Calls `fn` until it succeeds or fails for good. Final and already-done errors are thrown at once, as they came
 * (the caller translates them for its operation); retryable ones outlasting the attempts become RetriesExhausted.
 */
export async function withRetry<T>(
  operation: string,
  fn: () => Promise<T>,
  options: RetryOptions<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      // The project's own errors (a guard refusing, an adapter error) are decisions, not failures to retry.
      if (error instanceof ServiceError || error instanceof DomainError) throw error;
      const verdict = classify(operation, error);
      if (verdict.outcome !== "retryable") throw error;
      const instead = await options.onRetryable?.(verdict, error);
      if (instead !== undefined) return instead;
      if (attempt >= options.maxAttempts) throw new RetriesExhausted(operation, attempt, { cause: error });
      await options.sleep(backoffMs(attempt - 1, options, options.random));
    }
  }
}
