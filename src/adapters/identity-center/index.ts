export {
  IdentityCenterAdapter,
  type IdentityCenterAdapterOptions,
  type IdentityCenterLimits,
} from "./adapter.js";
export { classify, type Verdict } from "./classify.js";
export * from "./errors.js";
export { guardDeletion, guardUserOnly, type PrincipalAssignment } from "./guards.js";
export { defaultReserve, PrioritySemaphore, RateLimiter, type Schedule } from "./limiter.js";
export { DEFAULT_POLL, type PollPolicy } from "./poller.js";
export { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
export type { PermissionSetDetails } from "./sso-calls.js";
