import { AssignmentFailed, GrantChangedConcurrently, TupleChangedConcurrently } from "../domain/errors.js";
import type { AssignmentTuple, Grant } from "../domain/grant.js";
import type { AppDeps } from "./deps.js";
import { announce, logEvent } from "./notify.js";
import { planNext, unplan } from "./timing.js";
import { released, targetOf } from "./tuples.js";
import { apply } from "./write.js";

/** How long one worker's claim on a grant holds before another may take it over. */
export const LEASE_MS = 5 * 60_000;
/** A grant waiting for another grant's change to the same assignment looks again after this. */
export const WAIT_MS = 2_000;
/** Attempts (waits and transient errors) before a provisioning grant is failed. */
export const MAX_ATTEMPTS = 40;

/**
 * Creates (or joins) the assignment for an approved grant and activates it; safe to call from many places at
 * once. Given the grant as just read, it is not read again.
 */
export async function provisionGrant(deps: AppDeps, approved: Grant | string): Promise<Grant | undefined> {
  const current = typeof approved === "string" ? await deps.store.get(approved) : approved;
  if (current?.status !== "provisioning") return current;
  const now = deps.clock.now();
  if (current.dueAt !== undefined && current.dueAt > now) return current;
  const { grant } = await apply(deps, current, { type: "claim", until: now + LEASE_MS });
  try {
    return await provisionClaimed(deps, grant);
  } catch (error) {
    // Only Identity Center's own "no" is final; anything else may hide a creation still on its way.
    if (error instanceof AssignmentFailed && error.definitive) return fail(deps, grant, error.message);
    if (error instanceof GrantChangedConcurrently) throw error;
    const waiting = error instanceof TupleChangedConcurrently;
    return retryLater(
      deps,
      grant,
      waiting ? "another change to the same assignment is in progress" : describe(error),
    );
  }
}

async function provisionClaimed(deps: AppDeps, grant: Grant): Promise<Grant> {
  const target = targetOf(grant);
  const tuple = await deps.store.getTuple(target);
  if (tuple?.state === "present") {
    const joined: AssignmentTuple = {
      ...tuple,
      holders: [...tuple.holders, grant.id],
      version: tuple.version + 1,
    };
    return activate(deps, grant, tuple.preExisting === true, undefined, joined, tuple.version);
  }
  if (tuple && tuple.state !== "absent" && tuple.lease?.grantId !== grant.id) {
    return retryLater(deps, grant, `the same assignment is ${tuple.state} for another grant`);
  }
  let claimed: AssignmentTuple;
  if (!tuple || tuple.state === "absent") {
    claimed = {
      target,
      state: "creating",
      holders: [],
      lease: { grantId: grant.id, until: deps.clock.now() + LEASE_MS },
      version: (tuple?.version ?? 0) + 1,
    };
    await deps.store.saveTuple(claimed, tuple?.version);
  } else {
    claimed = tuple;
  }
  if (claimed.preExisting === undefined) {
    const checked = {
      ...claimed,
      preExisting: await deps.identity.assignmentExists(target),
      version: claimed.version + 1,
    };
    await deps.store.saveTuple(checked, claimed.version);
    claimed = checked;
  }
  const requestId = claimed.preExisting
    ? undefined
    : (await deps.identity.createAssignment(target)).requestId;
  const present: AssignmentTuple = {
    target,
    state: "present",
    holders: [grant.id],
    version: claimed.version + 1,
  };
  if (claimed.preExisting !== undefined) present.preExisting = claimed.preExisting;
  return activate(deps, grant, claimed.preExisting === true, requestId, present, claimed.version);
}

async function activate(
  deps: AppDeps,
  grant: Grant,
  preExisting: boolean,
  requestId: string | undefined,
  tuple: AssignmentTuple,
  expectVersion: number,
): Promise<Grant> {
  const event = { type: "activate" as const, preExisting, ...(requestId ? { requestId } : {}) };
  const result = await apply(deps, grant, event, { next: tuple, expectVersion });
  logEvent(deps, result.audit);
  await planNext(deps, result.grant);
  await announce(deps, result.grant, result.audit, "granted");
  return result.grant;
}

async function fail(deps: AppDeps, grant: Grant, reason: string): Promise<Grant> {
  const tuple = await deps.store.getTuple(targetOf(grant));
  const ours = tuple && tuple.state === "creating" && tuple.lease?.grantId === grant.id;
  const change = ours ? { next: released(tuple), expectVersion: tuple.version } : undefined;
  const result = await apply(deps, grant, { type: "fail", reason }, change);
  logEvent(deps, result.audit);
  deps.log.error("provisioning failed", { grantId: grant.id, reason });
  await unplan(deps, grant);
  await announce(deps, result.grant, result.audit, "failed");
  return result.grant;
}

/** Transient trouble: try again with backoff; after MAX_ATTEMPTS, fail only if no creation was ever asked for. */
async function retryLater(deps: AppDeps, grant: Grant, reason: string): Promise<Grant> {
  const attempts = grant.attempts ?? 0;
  if (attempts + 1 >= MAX_ATTEMPTS) {
    if (!(await mayHaveCreated(deps, grant))) {
      return fail(deps, grant, `gave up after ${attempts + 1} attempts: ${reason}`);
    }
    deps.log.error("provisioning still unsettled; retrying until Identity Center answers", {
      grantId: grant.id,
      attempts: attempts + 1,
    });
  }
  const at = deps.clock.now() + Math.min(WAIT_MS * 2 ** Math.min(attempts, 5), 60_000);
  const result = await apply(deps, grant, { type: "retry-later", reason, at });
  logEvent(deps, result.audit);
  deps.log.warn("provisioning will be retried", { grantId: grant.id, reason, attempts: attempts + 1 });
  await planNext(deps, result.grant, at);
  return result.grant;
}

/** Whether this grant may have asked for the assignment: then failing would leave it behind, never deleted. */
async function mayHaveCreated(deps: AppDeps, grant: Grant): Promise<boolean> {
  const tuple = await deps.store.getTuple(targetOf(grant));
  return tuple?.state === "creating" && tuple.lease?.grantId === grant.id && tuple.preExisting === false;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
