import type { Rule } from "../domain/config.js";
import { GrantChangedConcurrently, GrantNotFound } from "../domain/errors.js";
import type { Approval, Grant } from "../domain/grant.js";
import { distinctPeople, type GrantEvent } from "../domain/lifecycle.js";
import { checkExtension, findRule, mayDecideExtension, planExtension } from "../domain/policy.js";
import { type ResolvedActor, resolveActor } from "./actors.js";
import type { AppDeps } from "./deps.js";
import type { Announce } from "./notices.js";
import { grantFor, recordRefusal, refuseAsAsked, refuseOnGrant } from "./refusals.js";
import { planNext } from "./timing.js";
import { apply } from "./write.js";

export type ExtensionDecision = { kind: "approve" } | { kind: "deny"; reason?: string };

/** Lost races are retried against the fresh grant this many times (approvers clicking at once). */
const MAX_RACES = 8;

/** What an `extend` by this person does to one grant, decided before anything is written. */
type Plan =
  | { kind: "now"; by: string }
  | { kind: "ask"; event: GrantEvent }
  | { kind: "approve-waiting"; by: string; extensionId: string };

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
  await extendable(deps, actorSlackId, grant);
  const actor = await resolveActor(deps, actorSlackId, { fresh: true });
  return carryOut(deps, grant, addSeconds, await plan(deps, actor, grant, addSeconds));
}

/**
 * `extend <request-id>`: every active part of a request, each under its own rule. Every part is checked first, so
 * a part that cannot be extended refuses the whole command and nothing is changed.
 */
export async function extendRequest(
  deps: AppDeps,
  actorSlackId: string,
  requestId: string,
  addSeconds: number,
): Promise<Grant[]> {
  const parts = await deps.store.requestParts(requestId);
  if (parts.length === 0) {
    await recordRefusal(deps, actorSlackId, `no request \`${requestId}\``, undefined, { requestId });
    throw new GrantNotFound(requestId);
  }
  const active = parts.filter((part) => part.status === "active");
  if (active.length === 0) {
    const statuses = [...new Set(parts.map((part) => part.status))].join(", ");
    const message = `Request ${code(requestId)} has no active part (its parts are ${statuses}): there is nothing to extend.`;
    return refuseAsAsked(deps, actorSlackId, message, parts[0]);
  }
  for (const part of active) await extendable(deps, actorSlackId, part);
  const actor = await resolveActor(deps, actorSlackId, { fresh: true });
  const plans: Plan[] = [];
  for (const part of active) plans.push(await plan(deps, actor, part, addSeconds));
  const extended: Grant[] = [];
  for (const [n, part] of active.entries()) {
    extended.push(await carryOut(deps, part, addSeconds, plans[n] as Plan));
  }
  return extended;
}

/** Who may extend how (the domain's rule): checked, and any refusal recorded and thrown, before anything is written. */
async function plan(deps: AppDeps, actor: ResolvedActor, grant: Grant, addSeconds: number): Promise<Plan> {
  const rule = await extendable(deps, actor.slackId, grant);
  const planned = planExtension(rule, grant, actor, addSeconds);
  switch (planned.kind) {
    case "not-authorised":
      return refuseOnGrant(deps, grant, actor.slackId, "extend", planned.reason, planned.hint);
    case "refused":
      return refuseAsAsked(deps, actor.slackId, planned.message, grant);
    case "now":
      return { kind: "now", by: actor.slackId };
    case "approve-waiting":
      return { kind: "approve-waiting", by: actor.slackId, extensionId: planned.extensionId };
    case "ask": {
      const approval = planned.withApproval ? approvalOf(deps, actor) : undefined;
      const event: GrantEvent = {
        type: "request-extension",
        by: actor.slackId,
        addSeconds,
        required: rule.approvalsRequired,
        ...(approval ? { approval } : {}),
      };
      return { kind: "ask", event };
    }
  }
}

async function carryOut(deps: AppDeps, grant: Grant, addSeconds: number, planned: Plan): Promise<Grant> {
  switch (planned.kind) {
    case "now":
      return extendNow(deps, grant, planned.by, addSeconds);
    case "approve-waiting":
      return decideExtension(deps, planned.by, grant.id, planned.extensionId, { kind: "approve" });
    case "ask":
      return (await apply(deps, grant, planned.event, { announce: { extension: true, audit: true } })).grant;
  }
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
  const actor = await resolveActor(deps, actorSlackId, { fresh: true });
  for (let race = 0; ; race++) {
    const rule = await extendable(deps, actorSlackId, grant);
    const waiting = grant.extension;
    if (waiting?.id !== extensionId || waiting.status !== "pending") {
      const message = `No extension of ${code(grant.id)} is waiting for a decision${waiting?.id === extensionId ? `: it was ${waiting.status}` : ""}; nothing was changed.`;
      return refuseAsAsked(deps, actorSlackId, message, grant);
    }
    const action = decision.kind === "approve" ? "approve the extension of" : "deny the extension of";
    const verdict = mayDecideExtension(rule, grant, waiting, actor, decision.kind);
    if (!verdict.ok) return refuseOnGrant(deps, grant, actor.slackId, action, verdict.reason);
    const { withdraw } = verdict;
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
