export {
  IdentityCenterAdapter,
  type IdentityCenterAdapterOptions,
  type PollPolicy,
  type PrincipalAssignment,
} from "./adapter.js";
export * from "./errors.js";
export { RateLimiter, Semaphore } from "./limiter.js";
export { DEFAULT_RETRY, isRetryable, type RetryPolicy } from "./retry.js";
