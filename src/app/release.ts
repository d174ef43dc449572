import { type Grant, SYSTEM_ACTOR } from "../domain/grant.js";
import { everyPartApproved, hasQuorum } from "../domain/policy.js";
import type { AppDeps } from "./deps.js";
import { planNext, unplan } from "./timing.js";
import { applyAll, type Step } from "./write.js";

/** After a decision: an approved grant is driven (or woken at its start), a decided one drops its request's wake-ups. */
export async function afterDecision(deps: AppDeps, grant: Grant): Promise<void> {
  if (grant.status === "provisioning") {
    // The request's own wake-ups (reminder to approvers, time-out) are no longer needed.
    await unplan(deps, grant);
    // A scheduled start waits for its time, woken by the scheduler as an expiry would be.
    if ((grant.dueAt ?? 0) > deps.clock.now()) await planNext(deps, grant);
    else await deps.jobs.drive(grant.id);
  } else if (grant.status !== "pending") await unplan(deps, grant);
}

/**
 * The sweep's way out for a request whose every pending part has its quorum yet waits (approvals written side by
 * side before decisions conditioned on every part): releases them all in one transaction conditional on each.
 * Returns the parts released; none when the grant is not such a part.
 */
export async function releaseApproved(deps: AppDeps, grant: Grant): Promise<Grant[]> {
  if (grant.status !== "pending" || !grant.requestId || !hasQuorum(grant)) return [];
  const requestId = grant.requestId;
  const parts = await deps.store.requestParts(requestId);
  if (!everyPartApproved(parts)) return [];
  const pending = parts.filter((part) => part.status === "pending");
  const steps: Step[] = pending.map((part, n) => ({
    grant: part,
    event: { type: "release", by: SYSTEM_ACTOR, requestId },
    announce: { audit: true, ...(n === 0 ? { message: true } : {}) },
  }));
  const written = await applyAll(deps, steps);
  for (const { grant: released } of written) await afterDecision(deps, released);
  return written.map(({ grant: released }) => released);
}
