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
   * Lambda quota of 10). Identity Center's quotas still hold (one engine instance at a time holds the lease and
   * makes every assignment call), but a flood on the Function URL then runs as many Slack instances as the account
   * allows and can starve the engine of instances. So it takes this flag, not a quiet 0.
   */
  allowUncappedConcurrency?: boolean;
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
