import { RequestRefused, UnknownUser } from "../domain/errors.js";
import { groupNamesIn } from "../domain/policy.js";
import type { AppDeps } from "./deps.js";
import { recordRefusal } from "./refusals.js";

/** A Slack user resolved to their Identity Center identity and the config's groups they belong to. */
export interface ResolvedActor {
  slackId: string;
  email: string;
  userId?: string;
  groups: string[];
}

/** Looks the Slack user up (email), then Identity Center (user id, groups); refuses (and audits) without an email. */
export async function resolveActor(
  deps: AppDeps,
  slackId: string,
  options: { audit?: boolean; fresh?: boolean } = {},
): Promise<ResolvedActor> {
  const profile = await deps.chat.user(slackId);
  if (!profile.email) {
    const message =
      "Slack did not give your email address, so you cannot be matched to an Identity Center user (the app needs the users:read.email scope).";
    if (options.audit !== false) await recordRefusal(deps, slackId, message);
    throw new RequestRefused(message);
  }
  const userId = await deps.identity.userIdByEmail(profile.email);
  const names = groupNamesIn(deps.config);
  const groups = userId ? await deps.identity.groupsOf(userId, names, { fresh: options.fresh === true }) : [];
  return { slackId, email: profile.email, groups, ...(userId ? { userId } : {}) };
}

/** As resolveActor, but the person must exist in Identity Center. */
export async function resolveRequester(
  deps: AppDeps,
  slackId: string,
): Promise<ResolvedActor & { userId: string }> {
  const actor = await resolveActor(deps, slackId);
  if (!actor.userId) {
    const message = `No Identity Center user has the email ${actor.email}; ask an administrator to add you or fix the email.`;
    await recordRefusal(deps, slackId, message);
    throw new UnknownUser(message);
  }
  return { ...actor, userId: actor.userId };
}
