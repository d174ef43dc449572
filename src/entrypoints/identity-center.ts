import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import {
  IdentityCenterAdapter,
  type IdentityCenterAdapterOptions,
  type IdentityCenterLimits,
} from "../adapters/identity-center/adapter.js";
import type { Clock, Logger } from "../app/ports.js";
import type { AccessConfig } from "../domain/config.js";

/**
 * Per-attempt limits of the SDK's HTTP handler: a connection that does not open, or an answer that does not come,
 * ends the attempt as a TimeoutError, which the adapter retries within its own budget instead of hanging.
 */
export const SDK_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 5_000 } as const;

export interface SdkClientOptions {
  /** Overrides the SDK's own endpoint resolution (tests and the simulator). */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  timeouts?: { connectionTimeout: number; requestTimeout: number };
}

/** SSO Admin and Identity Store clients with request and connection timeouts, and no retries of their own. */
export function identityCenterClients(options: SdkClientOptions = {}): {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
} {
  const { timeouts = SDK_TIMEOUTS, ...rest } = options;
  const config = {
    ...rest,
    maxAttempts: 1,
    requestHandler: { ...timeouts, throwOnRequestTimeout: true },
  };
  return { ssoAdmin: new SSOAdminClient(config), identityStore: new IdentitystoreClient(config) };
}

/** This instance's share of Identity Center's quotas, as the stack computed it from the functions' concurrency. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): IdentityCenterLimits {
  const rps = Number(env.IC_REQUESTS_PER_SECOND);
  const outstanding = Number(env.IC_MAX_OUTSTANDING);
  return {
    ...(rps > 0 ? { requestsPerSecond: rps } : {}),
    ...(outstanding > 0 ? { maxOutstanding: outstanding } : {}),
  };
}

/** The Identity Center adapter every entry point uses: SDK clients from the SDK's own settings, retries left to the adapter. */
export function buildIdentityCenter(
  config: AccessConfig,
  options: { clock: Clock; logger: Logger; poll?: IdentityCenterAdapterOptions["poll"] },
): IdentityCenterAdapter {
  const { instanceArn, identityStoreId } = config.identityCenter;
  return new IdentityCenterAdapter({
    ...identityCenterClients(),
    limits: limitsFromEnv(),
    ...(instanceArn ? { instanceArn } : {}),
    ...(identityStoreId ? { identityStoreId } : {}),
    ...options,
  });
}
