import { type Grant, TERMINAL_STATUSES } from "../domain/grant.js";
import { type Actor, type Offer, offersFor } from "../domain/policy.js";
import { resolveActor } from "./actors.js";
import type { AppDeps } from "./deps.js";

/** The requester's grants that are not over yet, newest first. */
export async function listGrants(deps: AppDeps, actorSlackId: string): Promise<Grant[]> {
  const grants = await deps.store.byRequester(actorSlackId, 50);
  return grants.filter((grant) => !TERMINAL_STATUSES.includes(grant.status));
}

/** What this person may ask for, for `help`. */
export async function offersForActor(deps: AppDeps, actorSlackId: string): Promise<Offer[]> {
  return (await requesterOffers(deps, actorSlackId)).offers;
}

/**
 * What this person may ask for, and who they are as the rules see them (email, the config's groups they are in), for
 * the request form; someone who cannot be looked up is offered what the rules give anyone.
 */
export async function requesterOffers(
  deps: AppDeps,
  actorSlackId: string,
): Promise<{ actor: Actor; offers: Offer[] }> {
  const actor: Actor = await resolveActor(deps, actorSlackId, { audit: false }).catch(() => ({
    slackId: actorSlackId,
    email: "",
    groups: [],
  }));
  return { actor, offers: offersFor(deps.config, actor) };
}
