import type { Grant } from "../domain/grant.js";
import type { AppDeps } from "./deps.js";

/** A request's message is re-rendered this many times at most when its parts change while it is being rendered. */
const MAX_RENDERS = 3;

/** The parts a request's one approval message shows: all of them for a request of several, else none. */
export async function partsShown(deps: AppDeps, grant: Grant): Promise<Grant[] | undefined> {
  if (!grant.requestId) return undefined;
  const parts = await deps.store.requestParts(grant.requestId);
  return parts.length > 1 ? parts : undefined;
}

/**
 * Re-renders the approval message a grant is shown in. A request of several parts has one message, attached to
 * its first part; the parts change on their own (each is provisioned and ends by itself) and their notices are sent
 * side by side, so after each render the parts are read again and the message rendered once more if they moved on:
 * the last render always shows them as they are.
 */
export async function updateRequestMessage(deps: AppDeps, grant: Grant): Promise<void> {
  let parts = await partsShown(deps, grant);
  if (!parts) {
    if (grant.message) await deps.chat.updateRequest(grant.message, grant);
    return;
  }
  for (let render = 0; render < MAX_RENDERS; render++) {
    const lead = parts[0] as Grant;
    // Not posted yet: the post renders the parts as they are then.
    if (!lead.message) return;
    await deps.chat.updateRequest(lead.message, lead, parts);
    const fresh = await partsShown(deps, grant);
    if (!fresh || fresh.every((part, i) => part.version === parts?.[i]?.version)) return;
    parts = fresh;
  }
}
