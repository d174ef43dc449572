import { GrantChangedConcurrently } from "../domain/errors.js";
import type { Grant } from "../domain/grant.js";
import { channelFor, findRule } from "../domain/policy.js";
import type { AppDeps } from "./deps.js";
import type { Notice } from "./ports.js";
import { apply } from "./write.js";

const MAX_RACES = 8;

/**
 * Delivers an extension notice: the first one posts the request in the approval message's thread (attaching the
 * reply to the grant), later ones re-render it as the grant is now. A newer request replaces an older one.
 */
export async function sendExtension(deps: AppDeps, notice: Notice): Promise<void> {
  const asked = notice.grant.extension;
  const latest = await deps.store.get(notice.grantId);
  if (!asked || latest?.extension?.id !== asked.id) return;
  const message = latest.extension.message;
  if (message) {
    await deps.chat.updateExtension?.(message, latest);
    return;
  }
  if (!deps.chat.postExtension) return;
  const thread = await threadOf(deps, latest);
  const rule = findRule(deps.config, latest.rule);
  const channel =
    thread?.channel ?? (rule ? channelFor(deps.config, rule) : deps.config.slack.approvalChannel);
  const ref = await deps.chat.postExtension(latest, channel, thread?.ts);
  let current = latest;
  for (let race = 0; ; race++) {
    // A change since the reply was rendered re-renders it once attached.
    const changed = current.version !== latest.version;
    try {
      await apply(
        deps,
        current,
        { type: "attach-extension-message", channel: ref.channel, ts: ref.ts },
        changed ? { announce: { extension: true } } : {},
      );
      return;
    } catch (error) {
      if (!(error instanceof GrantChangedConcurrently) || race >= MAX_RACES) throw error;
      const fresh = error.current ?? (await deps.store.get(notice.grantId));
      if (fresh?.extension?.id !== asked.id || fresh.extension.message) return;
      current = fresh;
    }
  }
}

/** The approval message to reply to: the grant's own, or its request's (attached to the first part). */
async function threadOf(deps: AppDeps, grant: Grant): Promise<Grant["message"]> {
  if (grant.message || !grant.requestId) return grant.message;
  const [lead] = await deps.store.requestParts(grant.requestId);
  return lead?.message;
}

/** An extension still waiting when the grant ended says so in its thread (with the grant's own update). */
export async function sendExtensionIfDropped(deps: AppDeps, latest: Grant): Promise<void> {
  const extension = latest.extension;
  if (extension?.status !== "dropped" || !extension.message) return;
  await deps.chat.updateExtension?.(extension.message, latest);
}
