import type { FunctionName } from "./access.js";

/** Reserved concurrency of the worker and of the revoker each, unless the deploy says otherwise. */
export const DEFAULT_RESERVED_CONCURRENCY = 2;
/** Reserved concurrency of the public Slack function, unless the deploy says otherwise. */
export const DEFAULT_SLACK_CONCURRENCY = 10;

/** How many instances each function may run at once, as the stack props ask for it. */
export interface ConcurrencyProps {
  /** Caps concurrent worker and revoker instances each (default 2), so Identity Center's request rate stays bounded. */
  reservedConcurrency?: number;
  /** Caps concurrent instances of the Slack function (default 10): its Function URL takes unauthenticated requests. */
  slackConcurrency?: number;
  /**
   * Deploys every function without reserved concurrency, for accounts that cannot reserve any (a new account's
   * Lambda quota of 10). Without caps nothing bounds how many instances call Identity Center at once: its quotas
   * (20 requests/s, 15 outstanding operations) then hold only as long as traffic stays light, and a flood on the
   * Function URL runs as many Slack instances as the account allows. So it takes this flag, not a quiet 0.
   */
  allowUncappedConcurrency?: boolean;
}

/**
 * Each function instance's share of Identity Center's quotas (20 requests/s, 15 outstanding operations): the
 * worker and the revoker call SSO Admin, each with up to `reserved` instances. Uncapped, four are assumed.
 */
export function identityCenterShare(reserved: number): { requestsPerSecond: number; maxOutstanding: number } {
  const instances = reserved > 0 ? 2 * reserved : 4;
  return {
    requestsPerSecond: Math.max(1, Math.floor(20 / instances)),
    maxOutstanding: Math.max(1, Math.floor(15 / instances)),
  };
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number of instances, 1 or more (got ${value})`);
  }
  return value;
}

/** Reserved concurrency per function (undefined: uncapped); 0 or the flag alone is refused, with what to do. */
export function concurrencyCaps(props: ConcurrencyProps): Record<FunctionName, number | undefined> {
  const { reservedConcurrency, slackConcurrency, allowUncappedConcurrency } = props;
  if (allowUncappedConcurrency) {
    if ((reservedConcurrency ?? 0) !== 0 || (slackConcurrency ?? 0) !== 0) {
      throw new Error(
        "allowUncappedConcurrency deploys without caps: leave reservedConcurrency and slackConcurrency out",
      );
    }
    return { slack: undefined, worker: undefined, revoker: undefined };
  }
  if (reservedConcurrency === 0 || slackConcurrency === 0) {
    throw new Error(
      "a concurrency of 0 removes the cap that keeps Identity Center's quotas and the public Function URL bounded; " +
        "if the account cannot reserve concurrency, deploy with -c allowUncappedConcurrency=true instead",
    );
  }
  const reserved = positive("reservedConcurrency", reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY);
  return {
    slack: positive("slackConcurrency", slackConcurrency ?? DEFAULT_SLACK_CONCURRENCY),
    worker: reserved,
    revoker: reserved,
  };
}
