import { RequestRefused, UnknownUser } from "../domain/errors.js";
import { groupNamesIn } from "../domain/policy.js";
import type { AppDeps } from "./deps.js";

/** A Slack user resolved to their Identity Center identity and the config's groups they belong to. */
export interface ResolvedActor {
  slackId: string;
  email: string;
  userId?: string;
  groups: string[];
}

/** Looks the Slack user up (email), then Identity Center (user id, groups); refuses without an email. */
export async function resolveActor(deps: AppDeps, slackId: string): Promise<ResolvedActor> {
  const profile = await deps.chat.user(slackId);
  if (!profile.email) {
    throw new RequestRefused(
      "Slack did not give your email address, so you cannot be matched to an Identity Center user (the app needs the users:read.email scope).",
    );
  }
  const userId = await deps.identity.userIdByEmail(profile.email);
  const groups = userId ? await deps.identity.groupsOf(userId, groupNamesIn(deps.config)) : [];
  return { slackId, email: profile.email, groups, ...(userId ? { userId } : {}) };
}

/** As resolveActor, but the person must exist in Identity Center. */
export async function resolveRequester(
  deps: AppDeps,
  slackId: string,
): Promise<ResolvedActor & { userId: string }> {
  const actor = await resolveActor(deps, slackId);
  if (!actor.userId) {
    throw new UnknownUser(
      `No Identity Center user has the email ${actor.email}; ask an administrator to add you or fix the email.`,
    );
  }
  return { ...actor, userId: actor.userId };
}
