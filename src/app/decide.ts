import { GrantChangedConcurrently } from "../domain/errors.js";
import { MAX_REASON_LENGTH } from "../domain/grammar.js";
import type { Grant } from "../domain/grant.js";
import { findRule, mayApprove } from "../domain/policy.js";
import { resolveActor } from "./actors.js";
import type { AppDeps } from "./deps.js";
import { grantFor, refuseAsAsked, refuseOnGrant } from "./refusals.js";
import { driveGrant } from "./sweep.js";
import { unplan } from "./timing.js";
import { apply } from "./write.js";

export type Decision = { kind: "approve" } | { kind: "deny"; reason?: string };

/** Lost races are retried against the fresh grant this many times (concurrent approvers of a quorum). */
const MAX_RACES = 8;

/** An approver's click, authorised here on the server; the requester's own Deny cancels the request. */
export async function decideGrant(
  deps: AppDeps,
  actorSlackId: string,
  grantId: string,
  decision: Decision,
): Promise<Grant> {
  if (decision.kind === "deny" && decision.reason && [...decision.reason].length > MAX_REASON_LENGTH) {
    const length = [...decision.reason].length;
    return refuseAsAsked(
      deps,
      actorSlackId,
      `The reason is ${length} characters; at most ${MAX_REASON_LENGTH}.`,
    );
  }
  let grant = await grantFor(deps, actorSlackId, grantId);
  const actor = await resolveActor(deps, actorSlackId);
  for (let race = 0; ; race++) {
    if (grant.status !== "pending") return refuseAsAsked(deps, actorSlackId, alreadyDecided(grant), grant);
    if (deps.clock.now() >= grant.timeoutAt) {
      await driveGrant(deps, grant.id);
      const message = `\`${grant.id}\` timed out before it was decided; nothing was changed. Ask the requester to request again.`;
      return refuseAsAsked(deps, actorSlackId, message, grant);
    }
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

async function authorise(
  deps: AppDeps,
  grant: Grant,
  actor: Awaited<ReturnType<typeof resolveActor>>,
  decision: Decision,
) {
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

async function afterDecision(deps: AppDeps, grant: Grant) {
  if (grant.status === "provisioning") await deps.jobs.drive(grant.id);
  else if (grant.status !== "pending") await unplan(deps, grant);
}

/** Why a click on a decided request changes nothing. */
export function alreadyDecided(grant: Grant): string {
  return `\`${grant.id}\` is already ${grant.status}; nothing was changed.`;
}
