import { GrantChangedConcurrently } from "../domain/errors.js";
import type { Grant } from "../domain/grant.js";
import type { GrantEvent } from "../domain/lifecycle.js";
import { findRule, mayApprove, mayDeny, planApproval } from "../domain/policy.js";
import { reasonProblem } from "../domain/reason.js";
import { type ResolvedActor, resolveActor } from "./actors.js";
import type { AppDeps } from "./deps.js";
import type { Announce } from "./notices.js";
import { grantFor, refuseAsAsked, refuseOnGrant } from "./refusals.js";
import { afterDecision } from "./release.js";
import { driveGrant } from "./sweep.js";
import { apply, applyAll, type Step } from "./write.js";

export type Decision = { kind: "approve" } | { kind: "deny"; reason?: string };

/** Lost races are retried against the fresh grant this many times (concurrent approvers of a quorum). */
const MAX_RACES = 8;

/**
 * An approver's click, authorised here on the server; the requester's own Deny cancels the request. A grant that is
 * one part of a request decides the whole request: every part still pending is approved, denied or cancelled in one
 * transaction conditional on every pending part, so a lost race (another approver, a time-out) changes none of them
 * and is retried on fresh parts. A request whose every part has its quorum is released by any approver's click.
 */
export async function decideGrant(
  deps: AppDeps,
  actorSlackId: string,
  grantId: string,
  decision: Decision,
): Promise<Grant> {
  const problem = decision.kind === "deny" && reasonProblem(decision.reason ?? "", { required: false });
  if (problem) return refuseAsAsked(deps, actorSlackId, problem);
  let grant = await grantFor(deps, actorSlackId, grantId);
  const actor = await resolveActor(deps, actorSlackId, { fresh: true });
  for (let race = 0; ; race++) {
    if (grant.requestId) {
      const parts = await deps.store.requestParts(grant.requestId);
      if (parts.length > 0) {
        try {
          return await decideParts(deps, actor, grant, parts, decision);
        } catch (error) {
          if (!(error instanceof GrantChangedConcurrently) || race >= MAX_RACES) throw error;
          grant = (await deps.store.get(grant.id)) ?? grant;
          continue;
        }
      }
    }
    if (grant.status !== "pending") return refuseAsAsked(deps, actorSlackId, alreadyDecided(grant), grant);
    if (deps.clock.now() >= grant.timeoutAt) return timedOut(deps, actorSlackId, [grant]);
    const event = await authorise(deps, grant, actor, decision);
    try {
      const denied = event.type === "deny";
      const announce = { message: true, audit: true, ...(denied ? { requester: "denied" as const } : {}) };
      const result = await apply(deps, grant, event, { announce });
      await afterDecision(deps, result.grant);
      return result.grant;
    } catch (error) {
      if (!(error instanceof GrantChangedConcurrently) || race >= MAX_RACES || !error.current) throw error;
      grant = error.current;
    }
  }
}

/** One decision for every pending part of a request; returns the part that was clicked, as written. */
async function decideParts(
  deps: AppDeps,
  actor: ResolvedActor,
  clicked: Grant,
  parts: Grant[],
  decision: Decision,
): Promise<Grant> {
  const pending = parts.filter((part) => part.status === "pending");
  const lead = parts[0] as Grant;
  if (pending.length === 0) {
    return refuseAsAsked(deps, actor.slackId, alreadyDecided(lead), clicked);
  }
  if (pending.some((part) => deps.clock.now() >= part.timeoutAt)) {
    return timedOut(deps, actor.slackId, pending);
  }
  const events = await authoriseParts(deps, actor, clicked, pending, decision);
  const denied = decision.kind === "deny" && actor.slackId !== clicked.requester.slackId;
  // The request's one message is re-rendered once, from a part this click changes; each part is audited and told.
  const changed = pending.filter((part) => events.has(part.id));
  const steps: Step[] = changed.map((part, n) => {
    const announce: Announce = {
      audit: true,
      ...(n === 0 ? { message: true } : {}),
      ...(denied ? { requester: "denied" as const } : {}),
    };
    return { grant: part, event: events.get(part.id) as GrantEvent, announce };
  });
  // Conditional on the parts it leaves as they are too: a decision made beside this one on another part conflicts
  // with it, and the loser decides again on fresh parts (two approvals side by side complete the request).
  const unchanged = pending.filter((part) => !events.has(part.id));
  const written = await applyAll(deps, steps, unchanged);
  for (const { grant } of written) await afterDecision(deps, grant);
  return written.find(({ grant }) => grant.id === clicked.id)?.grant ?? (written[0]?.grant as Grant);
}

/** The event each pending part gets from this click; refusals are recorded on the clicked grant and thrown. */
async function authoriseParts(
  deps: AppDeps,
  actor: ResolvedActor,
  clicked: Grant,
  pending: readonly Grant[],
  decision: Decision,
): Promise<Map<string, GrantEvent>> {
  const events = new Map<string, GrantEvent>();
  const all = (event: GrantEvent) => {
    for (const part of pending) events.set(part.id, event);
    return events;
  };
  if (decision.kind === "deny") {
    if (actor.slackId === clicked.requester.slackId) return all({ type: "cancel", by: actor.slackId });
    const verdict = mayDeny(deps.config, pending, actor);
    if (!verdict.ok) return refuseOnGrant(deps, clicked, actor.slackId, "deny", verdict.reason);
    return all({ type: "deny", by: actor.slackId, ...(decision.reason ? { reason: decision.reason } : {}) });
  }
  const plan = planApproval(deps.config, pending, actor);
  if (!plan.ok) return refuseOnGrant(deps, clicked, actor.slackId, "approve", plan.reason);
  const by = { slackId: actor.slackId, email: actor.email, at: deps.clock.now() };
  const requestId = clicked.requestId ?? clicked.id;
  for (const part of pending) {
    if (plan.approve.includes(part.id)) events.set(part.id, { type: "approve", by, wait: !plan.complete });
    else if (plan.complete) events.set(part.id, { type: "release", by: actor.slackId, requestId });
  }
  return events;
}

async function authorise(deps: AppDeps, grant: Grant, actor: ResolvedActor, decision: Decision) {
  const isRequester = actor.slackId === grant.requester.slackId;
  if (decision.kind === "deny" && isRequester) return { type: "cancel" as const, by: actor.slackId };
  const rule = findRule(deps.config, grant.rule);
  const verdict = rule
    ? mayApprove(rule, grant.requester, actor, decision.kind === "approve" ? grant.approvals : [])
    : { ok: false as const, reason: `the rule \`${grant.rule}\` is no longer in the configuration` };
  if (!verdict.ok) {
    return refuseOnGrant(deps, grant, actor.slackId, decision.kind, verdict.reason);
  }
  if (decision.kind === "deny") {
    return {
      type: "deny" as const,
      by: actor.slackId,
      ...(decision.reason ? { reason: decision.reason } : {}),
    };
  }
  return {
    type: "approve" as const,
    by: { slackId: actor.slackId, email: actor.email, at: deps.clock.now() },
  };
}

/**
 * A request past its time-out: the sweep's step for pending grants is run now (it times the request out, or releases
 * one whose every part had its approvals in time, handing the parts to the engine), and the click changes nothing.
 */
async function timedOut(deps: AppDeps, actor: string, pending: readonly Grant[]): Promise<never> {
  for (const part of pending) await driveGrant(deps, part.id, { pendingOnly: true });
  const first = pending[0] as Grant;
  const now = (await deps.store.get(first.id)) ?? first;
  if (now.status !== "pending" && now.status !== "timed-out") {
    return refuseAsAsked(deps, actor, alreadyDecided(now), now);
  }
  const message = `${refOf(first)} timed out before it was decided; nothing was changed. Ask the requester to request again.`;
  return refuseAsAsked(deps, actor, message, first);
}

/** Why a click on a decided request changes nothing. */
export function alreadyDecided(grant: Grant): string {
  return `${refOf(grant)} is already ${grant.status}; nothing was changed.`;
}

/** A grant by its id, or the request it is part of by the request's id. */
function refOf(grant: Grant): string {
  return grant.requestId ? `Request \`${grant.requestId}\`` : `\`${grant.id}\``;
}
