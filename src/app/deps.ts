import type { AccessConfig } from "../domain/config.js";
import type { Chat, Clock, GrantStore, IdentityCenter, Logger, RevocationScheduler } from "./ports.js";

/** Hands slow work (provisioning, revocation and their polling) to run after Slack has been answered. */
export interface Jobs {
  /** Moves the grant on from wherever it is (provision, revoke, time out); never throws. */
  drive(grantId: string): Promise<void>;
}

/** Asks for the notices just recorded to be delivered; production returns at once, the sender works apart. */
export interface NoticeDelivery {
  kick(): Promise<void>;
}

/** Counts for alarms and dashboards, keyed on audit event types (never on log text). */
export interface Metrics {
  count(name: string, value?: number): void;
}

/** How long claims hold and how retries back off; tests shorten them. */
export interface Timings {
  /** A driver's claim on a grant lapses after this unless renewed. */
  claimMs: number;
  /** A driver renews its claim this often while it waits on Identity Center. */
  renewEveryMs: number;
  /** A creation or deletion must leave within this of its recorded intent, or the intent is recorded afresh. */
  sendWindowMs: number;
  /** Longest wait between retries of a revocation Identity Center refuses (only an operator's fix ends it). */
  maxRevokeRetryMs: number;
  /** Longest wait between retries of a revocation that met throttling or an outage: inside the expiry bound. */
  maxTransientRetryMs: number;
  /** Longest wait between retries of a failing provisioning. */
  maxProvisionRetryMs: number;
}

/** A claim shorter than the server's 10 s bound, so a driver that dies is taken over in time. */
export const DEFAULT_TIMINGS: Timings = {
  claimMs: 6_000,
  renewEveryMs: 2_000,
  sendWindowMs: 2_000,
  maxRevokeRetryMs: 5 * 60_000,
  maxTransientRetryMs: 4_000,
  maxProvisionRetryMs: 60_000,
};

/** Everything a use case may touch; entry points build it by hand. */
export interface AppDeps {
  config: AccessConfig;
  store: GrantStore;
  identity: IdentityCenter;
  chat: Chat;
  scheduler: RevocationScheduler;
  clock: Clock;
  log: Logger;
  jobs: Jobs;
  notices: NoticeDelivery;
  metrics?: Metrics;
  timings?: Partial<Timings>;
  /** Grant id generator; tests pass a deterministic one. */
  newId?: () => string;
  installation?: { teamId: string; enterpriseId?: string }; // auth.test's; absent: Slack refuses all
}

/** The timings in force: the defaults with the deps' overrides. */
export function timingsOf(deps: Pick<AppDeps, "timings">): Timings {
  return { ...DEFAULT_TIMINGS, ...deps.timings };
}
