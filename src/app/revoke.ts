import { GrantChangedConcurrently, TupleChangedConcurrently } from "../domain/errors.js";
import type { Grant } from "../domain/grant.js";
import { findRule, mayRevoke } from "../domain/policy.js";
import { resolveActor } from "./actors.js";
import type { AppDeps } from "./deps.js";
import { announce, logEvent } from "./notify.js";
import { LEASE_MS } from "./provision.js";
import { grantFor, refuseAsAsked, refuseOnGrant } from "./refusals.js";
import { planNext, unplan } from "./timing.js";
import { released, targetOf, without } from "./tuples.js";
import { apply } from "./write.js";

/** The reason recorded on grants that ran out, as opposed to being revoked by someone. */
export const EXPIRED = "expired";
/** How long one revoker's claim holds: a revoker that died mid-deletion is taken over well within expiry's bound. */
export const REVOKE_CLAIM_MS = 20_000;
/** Revocation retries back off to at most this, so that expiry stays within its bound. */
const MAX_RETRY_MS = 5_000;
const MAX_RACES = 8;

/** Early revoke by its requester or an approver of its rule; a pending request is cancelled by its requester. */
export async function revokeGrant(deps: AppDeps, actorSlackId: string, grantId: string): Promise<Grant> {
  const grant = await grantFor(deps, actorSlackId, grantId);
  const actor = await resolveActor(deps, actorSlackId);
  if (grant.status === "pending" && actor.slackId === grant.requester.slackId) {
    const result = await apply(deps, grant, { type: "cancel", by: actor.slackId });
    logEvent(deps, result.audit);
    await unplan(deps, grant);
    await announce(deps, result.grant, result.audit);
    return result.grant;
  }
  if (grant.status !== "active") {
    const message = `\`${grant.id}\` is ${grant.status}, not active: there is nothing to revoke.`;
    return refuseAsAsked(deps, actorSlackId, message, grant);
  }
  const verdict = mayRevoke(findRule(deps.config, grant.rule), grant.requester, actor);
  if (!verdict.ok) {
    return refuseOnGrant(deps, grant, actor.slackId, "revoke", verdict.reason);
  }
  const revoking = await startRevocation(deps, grant, actor.slackId, `revoked by ${actor.email}`);
  await deps.jobs.drive(grant.id);
  return revoking;
}

/** active -> revoking, taking the grant off its assignment tuple in the same transaction (invariant 2). */
export async function startRevocation(
  deps: AppDeps,
  grant: Grant,
  by: string,
  reason: string,
): Promise<Grant> {
  let current = grant;
  for (let race = 0; ; race++) {
    if (current.status !== "active") return current;
    // A lost race may mean the grant was extended meanwhile: never revoke before the expiry it has now.
    if (reason === EXPIRED && (current.expiresAt ?? 0) > deps.clock.now()) return current;
    const tuple = await deps.store.getTuple(targetOf(current));
    if (!tuple?.holders.includes(current.id)) {
      deps.log.error("active grant missing from its assignment tuple; nothing will be deleted", {
        grantId: current.id,
      });
    }
    const change =
      tuple?.holders.includes(current.id) === true
        ? { next: without(tuple, current.id, deps.clock.now() + LEASE_MS), expectVersion: tuple.version }
        : undefined;
    const event = { type: "revoke" as const, by, reason, expired: reason === EXPIRED };
    try {
      const result = await apply(deps, current, event, change);
      logEvent(deps, result.audit);
      return result.grant;
    } catch (error) {
      if (race >= MAX_RACES) throw error;
      if (error instanceof GrantChangedConcurrently) {
        const fresh = error.current ?? (await deps.store.get(current.id));
        if (!fresh) throw error;
        current = fresh;
      } else if (!(error instanceof TupleChangedConcurrently)) {
        throw error;
      }
    }
  }
}

/** revoking -> ended: deletes the assignment only when this grant holds the tuple's deletion lease. */
export async function finishRevocation(deps: AppDeps, revoking: Grant | string): Promise<Grant | undefined> {
  const current = typeof revoking === "string" ? await deps.store.get(revoking) : revoking;
  if (current?.status !== "revoking") return current;
  const now = deps.clock.now();
  if (current.dueAt !== undefined && current.dueAt > now) return current;
  const { grant } = await apply(deps, current, { type: "claim", until: now + REVOKE_CLAIM_MS });
  const tuple = await deps.store.getTuple(targetOf(grant));
  const mustDelete = tuple?.state === "deleting" && tuple.lease?.grantId === grant.id;
  try {
    const requestId = mustDelete ? (await deps.identity.deleteAssignment(tuple)).requestId : undefined;
    const change = mustDelete ? { next: released(tuple), expectVersion: tuple.version } : undefined;
    const event = { type: "end" as const, deleted: mustDelete, ...(requestId ? { requestId } : {}) };
    const result = await apply(deps, grant, event, change);
    logEvent(deps, result.audit);
    await unplan(deps, grant);
    await announce(deps, result.grant, result.audit, grant.outcomeReason === EXPIRED ? "expired" : "revoked");
    return result.grant;
  } catch (error) {
    if (error instanceof GrantChangedConcurrently) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const at = deps.clock.now() + Math.min(500 * 2 ** Math.min(grant.attempts ?? 0, 4), MAX_RETRY_MS);
    const result = await apply(deps, grant, { type: "retry-later", reason, at });
    logEvent(deps, result.audit);
    deps.log.error("revocation failed; will retry", {
      grantId: grant.id,
      reason,
      attempts: result.grant.attempts,
    });
    await planNext(deps, result.grant, at);
    await announce(deps, result.grant, result.audit);
    return result.grant;
  }
}
