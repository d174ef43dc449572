import { type Grant, TERMINAL_STATUSES } from "../domain/grant.js";
import { type Offer, offersFor } from "../domain/policy.js";
import { resolveActor } from "./actors.js";
import type { AppDeps } from "./deps.js";

/** The requester's grants that are not over yet, newest first. */
export async function listGrants(deps: AppDeps, actorSlackId: string): Promise<Grant[]> {
  const grants = await deps.store.byRequester(actorSlackId, 50);
  return grants.filter((grant) => !TERMINAL_STATUSES.includes(grant.status));
}

/** What this person may ask for, for `help`. */
export async function offersForActor(deps: AppDeps, actorSlackId: string): Promise<Offer[]> {
  const actor = await resolveActor(deps, actorSlackId, { audit: false }).catch(() => ({
    slackId: actorSlackId,
    email: "",
    groups: [],
  }));
  return offersFor(deps.config, actor);
}
