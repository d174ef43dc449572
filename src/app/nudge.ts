import type { Rule } from "../domain/config.js";
import type { Grant } from "../domain/grant.js";
import { nudgeAt } from "../domain/lifecycle.js";
import { findRule, timingsFor } from "../domain/policy.js";
import type { AppDeps } from "./deps.js";
import type { Mentions, Notice } from "./ports.js";
import { planNext } from "./timing.js";
import { apply } from "./write.js";

/** Approvers mentioned by name in a reminder; more are summed up. */
export const MAX_MENTIONS = 10;
/** Members of each approver group looked at for a reminder: enough to find ten who may still approve. */
const MEMBERS_LOOKED_AT = 25;

/** Whether a pending grant's approvers are due for their one reminder. */
export function nudgeDue(deps: AppDeps, grant: Grant): boolean {
  const at = nudgeAt(grant, timingsFor(deps.config, grant.rule));
  return grant.status === "pending" && at !== undefined && at <= deps.clock.now();
}

/** Reminds the approvers of a request still pending, once: audited; the reply in its thread goes by the outbox. */
export async function nudgeApprovers(deps: AppDeps, grant: Grant): Promise<Grant> {
  const { grant: next } = await apply(
    deps,
    grant,
    { type: "nudge" },
    { announce: { nudge: true, audit: true } },
  );
  await planNext(deps, next);
  return next;
}

/** Delivers a reminder notice: only while the request is still pending and its message is there to reply to. */
export async function sendNudge(deps: AppDeps, notice: Notice): Promise<void> {
  const latest = await deps.store.get(notice.grantId);
  if (latest?.status !== "pending" || !latest.message || !deps.chat.postNudge) return;
  // A request of several parts is reminded once, in its one message, of the approvers of every part.
  const parts = latest.requestId ? await deps.store.requestParts(latest.requestId) : [latest];
  const rules = [...new Set(parts.map((part) => part.rule))].map((name) => findRule(deps.config, name));
  const mentions = await approverMentions(deps, rules, latest);
  await deps.chat.postNudge(latest.message, latest, mentions);
}

/**
 * Slack ids of the people who may still approve `grant`: listed emails first, then group members (resolved by email
 * through Identity Center), without the requester (unless they may approve themselves) or those who approved.
 */
export async function approverMentions(
  deps: AppDeps,
  rules: readonly (Rule | undefined)[],
  grant: Grant,
  max = MAX_MENTIONS,
): Promise<Mentions> {
  const emails = new Set<string>();
  for (const rule of rules) {
    for (const email of await approverEmails(deps, rule, max + grant.approvals.length + 1)) emails.add(email);
  }
  const selfAllowed = rules.every((rule) => rule?.allowSelfApproval === true);
  const excluded = new Set(grant.approvals.map((a) => a.email.toLowerCase()));
  if (!selfAllowed) excluded.add(grant.requester.email.toLowerCase());
  const slackIds: string[] = [];
  let more = false;
  for (const email of emails) {
    if (excluded.has(email)) continue;
    if (slackIds.length >= max) {
      more = true;
      break;
    }
    const slackId = await slackIdOf(deps, email);
    const self = slackId === grant.requester.slackId && !selfAllowed;
    if (slackId && !self && !slackIds.includes(slackId)) slackIds.push(slackId);
  }
  return { slackIds, more };
}

/** Listed emails, then members of the approver groups: lower-cased, each once, at most `limit` per group. */
export async function approverEmails(
  deps: AppDeps,
  rule: Rule | undefined,
  limit: number,
): Promise<string[]> {
  const approvers = rule?.approvers;
  if (!approvers) return [];
  const emails = new Set(approvers.emails.map((email) => email.toLowerCase()));
  const members = deps.identity.groupMemberEmails?.bind(deps.identity);
  for (const group of members ? approvers.groups : []) {
    try {
      for (const email of (await members?.(group, Math.max(limit, MEMBERS_LOOKED_AT))) ?? []) {
        emails.add(email.toLowerCase());
      }
    } catch (error) {
      deps.log.warn("approver group members not read; the reminder names fewer people", {
        group,
        error: String(error),
      });
    }
  }
  return [...emails];
}

async function slackIdOf(deps: AppDeps, email: string): Promise<string | undefined> {
  try {
    return await deps.chat.userIdByEmail?.(email);
  } catch (error) {
    deps.log.warn("slack: approver not found by email", { error: String(error) });
    return undefined;
  }
}
