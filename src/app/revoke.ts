import { GrantChangedConcurrently, GrantNotFound, TupleChangedConcurrently } from "../domain/errors.js";
import type { AssignmentTuple, Grant } from "../domain/grant.js";
import { findRule, mayRevoke } from "../domain/policy.js";
import { resolveActor } from "./actors.js";
import { Held, sendGraceMs } from "./claim.js";
import { type AppDeps, timingsOf } from "./deps.js";
import { AssignmentRefused, ServiceError } from "./errors.js";
import { DEFAULT_DEADLINE_MS, type DriveOptions, lookAgainAt } from "./provision.js";
import { grantFor, recordRefusal, refuseAsAsked, refuseOnGrant } from "./refusals.js";
import { planNext, unplan } from "./timing.js";
import { released, targetOf, without } from "./tuples.js";
import { apply, applyAll } from "./write.js";

/** The reason recorded on grants that ran out, as opposed to being revoked by someone. */
export const EXPIRED = "expired";
/** The first retry of a failing revocation comes this soon; later ones back off to `maxRevokeRetryMs`. */
const FIRST_RETRY_MS = 1_000;
const MAX_RACES = 8;

/**
 * Early revoke by its requester or an approver of its rule (also of a grant approved but not yet started, or still
 * being created); a pending request is cancelled by its requester, every part of it at once.
 */
export async function revokeGrant(deps: AppDeps, actorSlackId: string, grantId: string): Promise<Grant> {
  const grant = await grantFor(deps, actorSlackId, grantId);
  const actor = await resolveActor(deps, actorSlackId, { fresh: true });
  if (grant.status === "pending" && actor.slackId === grant.requester.slackId) {
    const parts = grant.requestId ? await deps.store.requestParts(grant.requestId) : [grant];
    const cancelled = await cancelPending(deps, actor.slackId, parts.length > 0 ? parts : [grant]);
    return cancelled.find((part) => part.id === grant.id) ?? grant;
  }
  if (grant.status !== "active" && grant.status !== "provisioning") {
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

/**
 * `revoke <request-id>`: ends every open part of a request (active, approved and waiting for its start, or being
 * created), after checking that the actor may revoke each one; its requester also cancels the parts still pending.
 * Returns the parts it changed.
 */
export async function revokeRequest(
  deps: AppDeps,
  actorSlackId: string,
  requestId: string,
): Promise<Grant[]> {
  const parts = await deps.store.requestParts(requestId);
  if (parts.length === 0) {
    await recordRefusal(deps, actorSlackId, `no request \`${requestId}\``, undefined, { requestId });
    throw new GrantNotFound(requestId);
  }
  const actor = await resolveActor(deps, actorSlackId, { fresh: true });
  const open = parts.filter((part) => part.status === "active" || part.status === "provisioning");
  const isRequester = actor.slackId === parts[0]?.requester.slackId;
  const pending = isRequester ? parts.filter((part) => part.status === "pending") : [];
  if (open.length === 0 && pending.length === 0) {
    const statuses = [...new Set(parts.map((part) => part.status))].join(", ");
    const message = `Request \`${requestId}\` has no active part (its parts are ${statuses}): there is nothing to revoke.`;
    return refuseAsAsked(deps, actorSlackId, message, parts[0]);
  }
  for (const part of open) {
    const verdict = mayRevoke(findRule(deps.config, part.rule), part.requester, actor);
    if (!verdict.ok) return refuseOnGrant(deps, part, actor.slackId, "revoke", verdict.reason);
  }
  const changed = pending.length > 0 ? await cancelPending(deps, actor.slackId, pending) : [];
  for (const part of open) {
    changed.push(await startRevocation(deps, part, actor.slackId, `revoked by ${actor.email}`));
  }
  for (const part of open) await deps.jobs.drive(part.id);
  return changed;
}

/** The requester takes back the pending parts of a request (or one pending grant), all in one write. */
async function cancelPending(deps: AppDeps, by: string, parts: readonly Grant[]): Promise<Grant[]> {
  const pending = parts.filter((part) => part.status === "pending");
  const lead = parts[0];
  const steps = pending.map((part) => ({
    grant: part,
    event: { type: "cancel" as const, by },
    announce: { audit: true, ...(part.id === lead?.id || pending.length === 1 ? { message: true } : {}) },
  }));
  const written =
    steps.length === 1 && steps[0]
      ? [await apply(deps, steps[0].grant, steps[0].event, { announce: { message: true, audit: true } })]
      : await applyAll(deps, steps);
  for (const { grant } of written) await unplan(deps, grant);
  return written.map(({ grant }) => grant);
}

/**
 * active (or provisioning, for an operator) -> revoking, taking the grant off its assignment tuple in the same
 * transaction (invariant 2). A provisioning grant holds no tuple yet: its creation is resolved by the revocation.
 */
export async function startRevocation(
  deps: AppDeps,
  grant: Grant,
  by: string,
  reason: string,
): Promise<Grant> {
  let current = grant;
  for (let race = 0; ; race++) {
    if (current.status !== "active" && current.status !== "provisioning") return current;
    // A lost race may mean the grant was extended meanwhile: never revoke before the expiry it has now.
    if (reason === EXPIRED && (current.status !== "active" || current.expiresAt > deps.clock.now())) {
      return current;
    }
    const tuple = current.status === "active" ? await deps.store.getTuple(targetOf(current)) : undefined;
    if (current.status === "active" && !tuple?.holders.includes(current.id)) {
      deps.log.error("active grant missing from its assignment tuple; nothing will be deleted", {
        grantId: current.id,
      });
    }
    const change =
      tuple?.holders.includes(current.id) === true
        ? {
            next: without(tuple, current.id, deps.clock.now() + timingsOf(deps).claimMs),
            expectVersion: tuple.version,
          }
        : undefined;
    const event = { type: "revoke" as const, by, reason, expired: reason === EXPIRED };
    try {
      return (await apply(deps, current, event, change ? { tuple: change } : {})).grant;
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

/**
 * revoking -> ended: deletes the assignment only when this grant holds the tuple's deletion lease, sending
 * DeleteAccountAssignment at most once however slow Identity Center is. Depends on DynamoDB and Identity
 * Center only: what Slack hears is recorded as notices for the sender.
 */
export async function finishRevocation(
  deps: AppDeps,
  revoking: Grant | string,
  options: DriveOptions = {},
): Promise<Grant | undefined> {
  const current = typeof revoking === "string" ? await deps.store.get(revoking) : revoking;
  if (current?.status !== "revoking") return current;
  if (current.dueAt !== undefined && current.dueAt > deps.clock.now()) return current;
  const held = await Held.take(deps, current);
  const deadline = options.deadline ?? deps.clock.now() + DEFAULT_DEADLINE_MS;
  return held.keepAlive(() => revokeHeld(deps, held, deadline));
}

async function revokeHeld(deps: AppDeps, held: Held, deadline: number): Promise<Grant> {
  try {
    return await revokeClaimed(deps, held, deadline);
  } catch (error) {
    if (error instanceof GrantChangedConcurrently) throw error;
    if (error instanceof TupleChangedConcurrently) {
      return retryLater(deps, held, {
        reason: "another change to the same assignment is in progress",
        code: "waiting",
      });
    }
    if (error instanceof AssignmentRefused) {
      // Refused, but perhaps because it is already gone: then the revocation is done.
      if (!(await deps.identity.assignmentExists(targetOf(held.grant), "revoke"))) {
        return end(deps, held, { deleted: true });
      }
      // A refusal will not pass by itself: back off up to maxRevokeRetryMs, alarm, wait for an operator.
      const reason = `Identity Center refused to delete the assignment: ${error.words}`;
      return retryLater(deps, held, {
        reason,
        code: `${error.code}:${error.kind}`,
        cause: error.detail,
        refused: true,
      });
    }
    if (!(error instanceof ServiceError)) {
      deps.log.error("revocation: unexpected failure", { grantId: held.grant.id, error: String(error) });
    }
    const code = error instanceof ServiceError ? error.code : "unexpected";
    const reason = error instanceof ServiceError ? `${error.service} is not answering` : "unexpected failure";
    return retryLater(deps, held, {
      reason,
      code,
      cause: error instanceof Error ? error.message : String(error),
    });
  }
}

async function revokeClaimed(deps: AppDeps, held: Held, deadline: number): Promise<Grant> {
  const target = targetOf(held.grant);
  let tuple = await deps.store.getTuple(target);
  if (tuple?.state === "creating" && tuple.lease?.grantId === held.grant.id) {
    // Revoked while provisioning: settle the creation first, then delete what it made.
    const settledTuple = await settleCreation(deps, held, tuple, deadline);
    if (!settledTuple) return held.grant;
    tuple = settledTuple;
  }
  const mustDelete = tuple?.state === "deleting" && tuple.lease?.grantId === held.grant.id;
  if (!tuple || !mustDelete) return end(deps, held, { deleted: false });
  const earlier = held.inherited?.kind === "deletion" ? held.inherited : undefined;
  let requestId = earlier?.requestId;
  if (earlier && !requestId) {
    const grace = earlier.startedAt + sendGraceMs(timingsOf(deps));
    if (deps.clock.now() < grace) return lookAgainAt(deps, held, grace);
    // The earlier driver may have sent it before it died: find it rather than send a second one.
    requestId = await deps.identity.findInProgress("deletion", target);
    if (!requestId && !(await deps.identity.assignmentExists(target, "revoke"))) {
      return end(deps, held, { deleted: true });
    }
    if (requestId) await held.write({ type: "op-accepted", requestId });
  }
  if (!requestId) {
    const deleting = tuple;
    const started = await held.send("deletion", (options) => deps.identity.startDeletion(deleting, options));
    if ("gone" in started) return end(deps, held, { deleted: true });
    requestId = started.requestId;
    await held.write({ type: "op-accepted", requestId });
  }
  const outcome = await deps.identity.awaitOperation("deletion", requestId, deadline);
  if (outcome.status === "in-progress") return held.letNextIn();
  if (outcome.status === "failed" && (await deps.identity.assignmentExists(target, "revoke"))) {
    // FAILED is final for that request: the next try sends a new one.
    return retryLater(deps, held, {
      reason: "Identity Center could not delete the assignment",
      code: "delete-failed",
      cause: outcome.reason,
      refused: true,
    });
  }
  return end(deps, held, { deleted: true, requestId });
}

/**
 * A creation this grant started before it was revoked: the tuple after it, or undefined while it may still run.
 * Never sends a creation; one that may be on its way (recorded intent, no request id yet) is given time to show.
 */
async function settleCreation(
  deps: AppDeps,
  held: Held,
  tuple: AssignmentTuple,
  deadline: number,
): Promise<AssignmentTuple | undefined> {
  const op = held.grant.op?.kind === "creation" ? held.grant.op : undefined;
  let created = false;
  if (tuple.preExisting === false && op) {
    const requestId = op.requestId ?? (await deps.identity.findInProgress("creation", tuple.target));
    if (requestId) {
      const outcome = await deps.identity.awaitOperation("creation", requestId, deadline);
      if (outcome.status === "in-progress") {
        await held.letNextIn();
        return undefined;
      }
      created = outcome.status === "succeeded";
    } else {
      created = await deps.identity.assignmentExists(tuple.target, "revoke");
      // The provisioning driver may have a request on its way: wait until it could no longer be sent and arrive.
      if (!created && deps.clock.now() - op.startedAt < sendGraceMs(timingsOf(deps))) {
        await retryLater(deps, held, {
          reason: "a creation may still be on its way",
          code: "settling-creation",
        });
        return undefined;
      }
    }
  }
  const next: AssignmentTuple = created
    ? {
        ...tuple,
        state: "deleting",
        lease: { grantId: held.grant.id, until: deps.clock.now() },
        version: tuple.version + 1,
      }
    : released(tuple);
  await deps.store.saveTuple(next, tuple.version);
  return next;
}

/** revoking -> ended; a deletion lease this grant holds is released with it. */
async function end(deps: AppDeps, held: Held, how: { deleted: boolean; requestId?: string }): Promise<Grant> {
  const grant = held.grant;
  const tuple = await deps.store.getTuple(targetOf(grant));
  const ours = tuple?.state === "deleting" && tuple.lease?.grantId === grant.id;
  const change = tuple && ours ? { next: released(tuple), expectVersion: tuple.version } : undefined;
  const notice = grant.outcomeReason === EXPIRED ? "expired" : "revoked";
  const { grant: ended } = await held.write(
    { type: "end", deleted: how.deleted, ...(how.requestId ? { requestId: how.requestId } : {}) },
    { ...(change ? { tuple: change } : {}), announce: { requester: notice, message: true, audit: true } },
  );
  if (ended.outcomeReason !== EXPIRED) await unplan(deps, ended);
  return ended;
}

/** Why a revocation is retried: `reason` in words (audit channel), `cause` as the service said it (audit detail). */
interface Trouble {
  reason: string;
  code: string;
  cause?: string;
  /** Identity Center answered no: nothing is on its way, and it will not pass by itself. */
  refused?: boolean;
}

/**
 * Backs off and tries again; the audit trail and channel hear once per situation. Throttling and outages back
 * off to at most `maxTransientRetryMs`, so a revocation resumes within the bound once Identity Center answers
 * again; a refusal backs off to `maxRevokeRetryMs`, since only an operator's fix ends it.
 */
async function retryLater(deps: AppDeps, held: Held, trouble: Trouble): Promise<Grant> {
  const attempts = held.grant.attempts ?? 0;
  const { maxRevokeRetryMs, maxTransientRetryMs } = timingsOf(deps);
  const cap = trouble.refused ? maxRevokeRetryMs : maxTransientRetryMs;
  const at = deps.clock.now() + Math.min(FIRST_RETRY_MS * 2 ** Math.min(attempts, 20), cap);
  const { grant, audit } = await held.handOff(
    {
      type: "retry-later",
      reason: trouble.reason,
      at,
      code: trouble.code,
      ...(trouble.cause ? { cause: trouble.cause } : {}),
      ...(trouble.refused ? { nothingSent: true } : {}),
    },
    { announce: { message: true, audit: true, onlyIfAudited: true } },
  );
  if (audit) deps.log.error("revocation failing; retrying", { grantId: grant.id, ...trouble });
  await planNext(deps, grant, at);
  return grant;
}
