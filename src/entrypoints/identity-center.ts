import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import {
  IdentityCenterAdapter,
  type IdentityCenterAdapterOptions,
} from "../adapters/identity-center/adapter.js";
import type { Clock, Logger } from "../app/ports.js";
import type { AccessConfig } from "../domain/config.js";

/** This instance's share of Identity Center's quotas, as the stack computed it from the functions' concurrency. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  requestsPerSecond?: number;
  maxOutstandingCreations?: number;
} {
  const rps = Number(env.IC_REQUESTS_PER_SECOND);
  const outstanding = Number(env.IC_MAX_OUTSTANDING);
  return {
    ...(rps > 0 ? { requestsPerSecond: rps } : {}),
    ...(outstanding > 0 ? { maxOutstandingCreations: outstanding } : {}),
  };
}

/** The Identity Center adapter every entry point uses: SDK clients from the SDK's own settings, retries left to the adapter. */
export function buildIdentityCenter(
  config: AccessConfig,
  options: { clock: Clock; logger: Logger; poll?: IdentityCenterAdapterOptions["poll"] },
): IdentityCenterAdapter {
  const { instanceArn, identityStoreId } = config.identityCenter;
  return new IdentityCenterAdapter({
    ssoAdmin: new SSOAdminClient({ maxAttempts: 1 }),
    identityStore: new IdentitystoreClient({ maxAttempts: 1 }),
    limits: limitsFromEnv(),
    ...(instanceArn ? { instanceArn } : {}),
    ...(identityStoreId ? { identityStoreId } : {}),
    ...options,
  });
}
