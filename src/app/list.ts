import { DomainError } from "../domain/errors.js";
import { type Grant, TERMINAL_STATUSES } from "../domain/grant.js";
import { type Actor, type Offer, offersFor } from "../domain/policy.js";
import { resolveActor } from "./actors.js";
import type { AppDeps } from "./deps.js";

/** The requester's grants that are not over yet, newest first. */
export async function listGrants(deps: AppDeps, actorSlackId: string): Promise<Grant[]> {
  const grants = await deps.store.byRequester(actorSlackId, 50);
  return grants.filter((grant) => !TERMINAL_STATUSES.includes(grant.status));
}

/** What this person may ask for, for `help`: when the lookups fail, what the rules give anyone. */
export async function offersForActor(deps: AppDeps, actorSlackId: string): Promise<Offer[]> {
  const actor = await requesterOffers(deps, actorSlackId).catch(() => ({ offers: undefined }));
  return actor.offers ?? offersFor(deps.config, anyone(actorSlackId));
}

/**
 * What this person may ask for, and who they are as the rules see them (email, the config's groups they are in), for
 * the request form; someone Slack gives no email for is offered what the rules give anyone (the submission says
 * why it is refused). A failed lookup (Slack or AWS not answering) is thrown, so the form can say so.
 */
export async function requesterOffers(
  deps: AppDeps,
  actorSlackId: string,
): Promise<{ actor: Actor; offers: Offer[] }> {
  const actor: Actor = await resolveActor(deps, actorSlackId, { audit: false }).catch((error: unknown) => {
    if (error instanceof DomainError) return anyone(actorSlackId);
    throw error;
  });
  return { actor, offers: offersFor(deps.config, actor) };
}

/** Someone the rules know nothing about: no email, in no group. */
function anyone(slackId: string): Actor {
  return { slackId, email: "", groups: [] };
}
