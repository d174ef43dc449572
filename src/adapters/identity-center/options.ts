import type { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import type { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import type { Clock, Logger } from "../../app/ports.js";
import type { Schedule } from "./limiter.js";
import type { PollPolicy } from "./poller.js";
import type { RetryPolicy } from "./retry.js";

/** This process's share of Identity Center's quotas and how much of it only revocations may use. */
export interface IdentityCenterLimits {
  /** SSO Admin calls a second (Identity Center allows 20 in all). */
  requestsPerSecond?: number;
  /** Creations and deletions outstanding at once (Identity Center allows 15). */
  maxOutstanding?: number;
  /** Calls a second that only revocations may use; default a third of the rate, at most 5. */
  reservedRate?: number;
  /** Outstanding operations that only deletions may hold; default a third, at most 5. */
  reservedOps?: number;
}

/** Clients must have `maxAttempts: 1`: SDK-side retries would slip past the adapter's limiter. */
export interface IdentityCenterAdapterOptions {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
  instanceArn?: string;
  identityStoreId?: string;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /** Returns rate-limiter tokens and frees forgotten slots; tests drive it with a fake clock. */
  schedule?: Schedule;
  random?: () => number;
  limits?: IdentityCenterLimits;
  cacheTtlMs?: number;
  /** Unknown users and groups are asked again sooner than known ones. */
  negativeCacheTtlMs?: number;
  poll?: Partial<PollPolicy>;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
}
