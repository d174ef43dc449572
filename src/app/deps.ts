import type { AccessConfig } from "../domain/config.js";
import type { Chat, Clock, GrantStore, IdentityCenter, Logger, RevocationScheduler } from "./ports.js";

/** Hands slow work (provisioning, revocation and their polling) to run after Slack has been answered. */
export interface Jobs {
  /** Moves the grant on from wherever it is (provision, revoke, time out); never throws. */
  drive(grantId: string): Promise<void>;
}

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
  /** Grant id generator; tests pass a deterministic one. */
  newId?: () => string;
}
