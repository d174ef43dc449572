import type { Rule } from "../domain/config.js";
import { formatDuration } from "../domain/duration.js";
import { GrantChangedConcurrently } from "../domain/errors.js";
import type { Approval, Grant } from "../domain/grant.js";
import { distinctPeople, type GrantEvent } from "../domain/lifecycle.js";
import { isEligible } from "../domain/policy/lookup.js";
import { checkExtension, describePrincipals, findRule, mayApprove } from "../domain/policy.js";
import { type ResolvedActor, resolveActor } from "./actors.js";
import type { AppDeps } from "./deps.js";
import type { Announce } from "./notices.js";
import { grantFor, refuseAsAsked, refuseOnGrant } from "./refusals.js";
import { planNext } from "./timing.js";
import { apply } from "./write.js";

export type ExtensionDecision = { kind: "approve" } | { kind: "deny"; reason?: string };

/** Lost races are retried against the fresh grant this many times (approvers clicking at once). */
const MAX_RACES = 8;

/**
 * Extends an active grant. Self-service on auto-approved rules; under a rule that needs approval the requester asks
 * its approvers (in the approval message's thread) and the rule's quorum of distinct people decides, an approver's
 * own `extend` counting as their approval.
 */
export async function extendGrant(
  deps: AppDeps,
  actorSlackId: string,
  grantId: string,
  addSeconds: number,
): Promise<Grant> {
  const grant = await grantFor(deps, actorSlackId, grantId);
  const rule = await extendable(deps, actorSlackId, grant);
  const actor = await resolveActor(deps, actorSlackId);
  const isRequester = actor.slackId === grant.requester.slackId;
  if (rule.autoApprove) {
    if (!isRequester) {
      const hint = `; only its requester extends it (rule \`${rule.name}\` grants at once).`;
      return refuseOnGrant(deps, grant, actor.slackId, "extend", "nobody approves its rule's grants", hint);
    }
    await requireEligible(deps, grant, rule, actor);
    await requireRoom(deps, actorSlackId, rule, grant, addSeconds);
    return extendNow(deps, grant, actor.slackId, addSeconds);
  }
  const waiting = grant.extension?.status === "pending" ? grant.extension : undefined;
  const verdict = mayApprove(rule, grant.requester, actor, waiting?.approvals ?? []);
  if (waiting) {
    if (verdict.ok && waiting.addSeconds === addSeconds) {
      return decideExtension(deps, actorSlackId, grant.id, waiting.id, { kind: "approve" });
    }
    const message = `An extension of ${code(grant.id)} by ${code(formatDuration(waiting.addSeconds))} is already waiting for approval; it is decided in the approval message's thread first.`;
    return refuseAsAsked(deps, actorSlackId, message, grant);
  }
  if (!verdict.ok && !isRequester) {
    const hint = ` Its requester can ask for more time with /aws-access extend ${grant.id} <duration>.`;
    return refuseOnGrant(deps, grant, actor.slackId, "extend", verdict.reason, hint);
  }
  if (!verdict.ok) await requireEligible(deps, grant, rule, actor);
  await requireRoom(deps, actorSlackId, rule, grant, addSeconds);
  const approval = verdict.ok ? approvalOf(deps, actor) : undefined;
  if (approval && rule.approvalsRequired <= 1) return extendNow(deps, grant, actor.slackId, addSeconds);
  const event: GrantEvent = {
    type: "request-extension",
    by: actor.slackId,
    addSeconds,
    required: rule.approvalsRequired,
    ...(approval ? { approval } : {}),
  };
  const result = await apply(deps, grant, event, { announce: { extension: true, audit: true } });
  return result.grant;
}

/**
 * An approver's Approve or Deny on a waiting extension, authorised here at click time: the rule's quorum of
 * distinct people extends the grant; the one who asked withdraws it with Deny. Concurrent clicks are retried on
 * the fresh grant, so each counts once and the extension is applied once.
 */
export async function decideExtension(
  deps: AppDeps,
  actorSlackId: string,
  grantId: string,
  extensionId: string,
  decision: ExtensionDecision,
): Promise<Grant> {
  let grant = await grantFor(deps, actorSlackId, grantId);
  const actor = await resolveActor(deps, actorSlackId);
  for (let race = 0; ; race++) {
    const rule = await extendable(deps, actorSlackId, grant);
    const waiting = grant.extension;
    if (waiting?.id !== extensionId || waiting.status !== "pending") {
      const message = `No extension of ${code(grant.id)} is waiting for a decision${waiting?.id === extensionId ? `: it was ${waiting.status}` : ""}; nothing was changed.`;
      return refuseAsAsked(deps, actorSlackId, message, grant);
    }
    const withdraw = decision.kind === "deny" && actor.slackId === waiting.by;
    const action = decision.kind === "approve" ? "approve the extension of" : "deny the extension of";
    if (!withdraw) {
      const verdict = mayApprove(
        rule,
        grant.requester,
        actor,
        decision.kind === "approve" ? waiting.approvals : [],
      );
      if (!verdict.ok) return refuseOnGrant(deps, grant, actor.slackId, action, verdict.reason);
    }
    let event: GrantEvent;
    const announce: Announce = { extension: true, audit: true };
    if (decision.kind === "approve") {
      await requireRoom(deps, actorSlackId, rule, grant, waiting.addSeconds);
      const by = approvalOf(deps, actor);
      event = { type: "approve-extension", by };
      if (distinctPeople([...waiting.approvals, by]) >= waiting.required) announce.requester = "extended";
    } else {
      const reason = withdraw ? "withdrawn by the one who asked" : decision.reason;
      event = { type: "deny-extension", by: actor.slackId, ...(reason ? { reason } : {}) };
      if (!withdraw) announce.requester = "extension-denied";
    }
    try {
      const result = await apply(deps, grant, event, { announce });
      if (result.grant.expiresAt !== grant.expiresAt) await planNext(deps, result.grant);
      return result.grant;
    } catch (error) {
      if (!(error instanceof GrantChangedConcurrently) || race >= MAX_RACES || !error.current) throw error;
      grant = error.current;
    }
  }
}

/** The grant's rule, when the grant can still be extended at all; refused (and audited) otherwise. */
async function extendable(deps: AppDeps, actorSlackId: string, grant: Grant): Promise<Rule> {
  if (grant.status !== "active") {
    const message = `${code(grant.id)} is ${grant.status}: only active grants can be extended.`;
    return refuseAsAsked(deps, actorSlackId, message, grant);
  }
  if (grant.expiresAt !== undefined && grant.expiresAt < deps.clock.now()) {
    const message = `${code(grant.id)} has expired and is being removed; ask for new access instead.`;
    return refuseAsAsked(deps, actorSlackId, message, grant);
  }
  const rule = findRule(deps.config, grant.rule);
  if (!rule) {
    const message = `The rule \`${grant.rule}\` is no longer in the configuration.`;
    return refuseAsAsked(deps, actorSlackId, message, grant);
  }
  return rule;
}

/** Group membership or the rule may have changed since the request: the same test `help` and requests use. */
async function requireEligible(deps: AppDeps, grant: Grant, rule: Rule, actor: ResolvedActor): Promise<void> {
  if (isEligible(rule, actor)) return;
  const reason = `you are no longer among those rule \`${rule.name}\` lets request (${describePrincipals(rule.requesters)})`;
  await refuseOnGrant(deps, grant, actor.slackId, "extend", reason, "; nothing was changed.");
}

/** The grant's total length from activation must stay within the rule's maximum. */
async function requireRoom(
  deps: AppDeps,
  actorSlackId: string,
  rule: Rule,
  grant: Grant,
  addSeconds: number,
): Promise<void> {
  const check = checkExtension(rule, grant, addSeconds);
  if (!check.ok) await refuseAsAsked(deps, actorSlackId, check.reason, grant);
}

async function extendNow(deps: AppDeps, grant: Grant, by: string, addSeconds: number): Promise<Grant> {
  const result = await apply(
    deps,
    grant,
    { type: "extend", by, addSeconds },
    { announce: { requester: "extended", message: true, audit: true } },
  );
  await planNext(deps, result.grant);
  return result.grant;
}

function approvalOf(deps: AppDeps, actor: ResolvedActor): Approval {
  return { slackId: actor.slackId, email: actor.email, at: deps.clock.now() };
}

function code(text: string): string {
  return `\`${text}\``;
}
