import { GrantChangedConcurrently, TupleChangedConcurrently } from "../domain/errors.js";
import {
  type AssignmentTarget,
  type AssignmentTuple,
  type Grant,
  TERMINAL_STATUSES,
} from "../domain/grant.js";
import { Held, sendGraceMs } from "./claim.js";
import { type AppDeps, timingsOf } from "./deps.js";
import { AssignmentRefused, ServiceError } from "./errors.js";
import type { OperationOutcome } from "./ports.js";
import { sessionAtActivation } from "./sessions.js";
import { planNext, unplan } from "./timing.js";
import { released, targetOf } from "./tuples.js";

/** A grant waiting for another grant's change to the same assignment looks again after this. */
export const WAIT_MS = 2_000;
/** Attempts before a provisioning grant that never sent a creation is failed. */
export const MAX_ATTEMPTS = 40;
/** How long a driver waits on Identity Center by default before leaving the operation to the next one. */
export const DEFAULT_DEADLINE_MS = 10 * 60_000;

export interface DriveOptions {
  /** Epoch ms by which this driver must have let go (a Lambda invocation's deadline). */
  deadline?: number;
}

/**
 * Creates (or joins) the assignment for an approved grant and activates it; safe to call from many places at
 * once: exactly one driver holds the claim, and a creation already asked for is polled, never sent again.
 */
export async function provisionGrant(
  deps: AppDeps,
  approved: Grant | string,
  options: DriveOptions = {},
): Promise<Grant | undefined> {
  const current = typeof approved === "string" ? await deps.store.get(approved) : approved;
  if (current?.status !== "provisioning") return current;
  if (current.dueAt !== undefined && current.dueAt > deps.clock.now()) return current;
  const held = await Held.take(deps, current);
  const deadline = options.deadline ?? deps.clock.now() + DEFAULT_DEADLINE_MS;
  return held.keepAlive(() => provisionHeld(deps, held, deadline));
}

async function provisionHeld(deps: AppDeps, held: Held, deadline: number): Promise<Grant> {
  try {
    return await provisionClaimed(deps, held, deadline);
  } catch (error) {
    if (error instanceof GrantChangedConcurrently) throw error;
    // Identity Center's own "no" is final: nothing was created, the requester hears why at once.
    if (error instanceof AssignmentRefused) return fail(deps, held, error.words, error.detail);
    if (error instanceof TupleChangedConcurrently) {
      return retryLater(deps, held, "another change to the same assignment is in progress", "waiting");
    }
    if (!(error instanceof ServiceError)) {
      deps.log.error("provisioning: unexpected failure", { grantId: held.grant.id, error: String(error) });
    }
    const code = error instanceof ServiceError ? error.code : "unexpected";
    const reason = error instanceof ServiceError ? `${error.service} is not answering` : "unexpected failure";
    return retryLater(deps, held, reason, code, error instanceof Error ? error.message : String(error));
  }
}

async function provisionClaimed(deps: AppDeps, held: Held, deadline: number): Promise<Grant> {
  const target = targetOf(held.grant);
  const tuple = await deps.store.getTuple(target);
  if (tuple?.state === "present") {
    const joined: AssignmentTuple = {
      ...tuple,
      holders: [...tuple.holders.filter((id) => id !== held.grant.id), held.grant.id],
      version: tuple.version + 1,
    };
    return activate(deps, held, { preExisting: tuple.preExisting === true }, joined, tuple.version);
  }
  let claimed = tuple;
  if (tuple && tuple.state !== "absent" && tuple.lease?.grantId !== held.grant.id) {
    // Another grant's change to the same assignment: wait for it, unless that grant is over (a lost driver's tuple).
    const other = tuple.lease ? await deps.store.get(tuple.lease.grantId) : undefined;
    if (other && !TERMINAL_STATUSES.includes(other.status)) {
      return retryLater(deps, held, `the same assignment is ${tuple.state} for another grant`, "waiting");
    }
    claimed = await claimTuple(deps, held, { ...tuple, state: "creating" }, tuple.version);
  }
  if (!claimed || claimed.state === "absent") {
    const creating: AssignmentTuple = {
      target,
      state: "creating",
      holders: [],
      version: claimed?.version ?? 0,
    };
    claimed = await claimTuple(deps, held, creating, claimed?.version);
  }
  if (claimed.preExisting === undefined) {
    const checked = { ...claimed, preExisting: await deps.identity.assignmentExists(target, "grant") };
    claimed = await claimTuple(deps, held, checked, claimed.version);
  }
  const present = (): AssignmentTuple => ({
    target,
    state: "present",
    holders: [held.grant.id],
    version: claimed.version + 1,
    ...(claimed.preExisting !== undefined ? { preExisting: claimed.preExisting } : {}),
  });
  if (claimed.preExisting) return activate(deps, held, { preExisting: true }, present(), claimed.version);
  const outcome = await createOrResume(deps, held, target, deadline);
  if (outcome.status === "wait") return lookAgainAt(deps, held, outcome.until);
  if (outcome.status === "in-progress") return held.letNextIn();
  if (outcome.status === "failed") {
    return fail(deps, held, "Identity Center could not provision the assignment", outcome.reason);
  }
  const started = { requestId: outcome.requestId, ...(outcome.at !== undefined ? { at: outcome.at } : {}) };
  return activate(deps, held, { preExisting: false, ...started }, present(), claimed.version);
}

/**
 * Writes the tuple under this grant's lease in the same transaction as a renewal of the grant's claim: a driver
 * whose grant was revoked or taken over meanwhile can never leave a tuple behind that nothing will clear.
 */
async function claimTuple(
  deps: AppDeps,
  held: Held,
  next: AssignmentTuple,
  expectVersion: number | undefined,
): Promise<AssignmentTuple> {
  const now = deps.clock.now();
  const { claimMs } = timingsOf(deps);
  const tuple: AssignmentTuple = {
    ...next,
    lease: { grantId: held.grant.id, until: now + claimMs },
    version: (expectVersion ?? 0) + 1,
  };
  await held.write({ type: "claim", until: now + claimMs }, { tuple: { next: tuple, expectVersion } });
  return tuple;
}

type Resumed = (OperationOutcome & { at?: number }) | { status: "wait"; until: number };

/** Holds the grant until `until`, then lets any driver take it: nothing is decided meanwhile. */
export async function lookAgainAt(deps: AppDeps, held: Held, until: number): Promise<Grant> {
  const { grant } = await held.handOff({ type: "claim", until });
  await planNext(deps, grant, until);
  return grant;
}

/**
 * Sends the creation once: a request an earlier driver recorded is polled; one it may have sent is waited for
 * until it could no longer arrive, then looked for, and only then sent again.
 */
async function createOrResume(
  deps: AppDeps,
  held: Held,
  target: AssignmentTarget,
  deadline: number,
): Promise<Resumed> {
  const earlier = held.inherited?.kind === "creation" ? held.inherited : undefined;
  let requestId = earlier?.requestId;
  if (earlier && !requestId) {
    const grace = earlier.startedAt + sendGraceMs(timingsOf(deps));
    if (deps.clock.now() < grace) return { status: "wait", until: grace };
    // The earlier driver may have sent it before it died: find it rather than send a second one.
    requestId = await deps.identity.findInProgress("creation", target);
    if (!requestId && (await deps.identity.assignmentExists(target, "grant"))) {
      return { status: "succeeded", requestId: "", at: earlier.startedAt };
    }
    if (requestId) await held.write({ type: "op-accepted", requestId });
  }
  if (!requestId) {
    requestId = (await held.send("creation", (options) => deps.identity.startCreation(target, options)))
      .requestId;
    await held.write({ type: "op-accepted", requestId });
  }
  const outcome = await deps.identity.awaitOperation("creation", requestId, deadline);
  // A creation that finished while nobody watched counts from when it was asked for: never later than it was.
  return earlier && outcome.status === "succeeded" ? { ...outcome, at: earlier.startedAt } : outcome;
}

async function activate(
  deps: AppDeps,
  held: Held,
  how: { preExisting: boolean; requestId?: string; at?: number },
  tuple: AssignmentTuple,
  expectVersion: number,
): Promise<Grant> {
  // Access counts from when the assignment was known to exist, not from the session-duration read below.
  const at = how.at ?? deps.clock.now();
  // Read once here, so the DMs about this grant say how long open sessions last without asking again.
  const sessionSeconds = await sessionAtActivation(deps, held.grant.permissionSet.arn);
  const { grant } = await held.write(
    { type: "activate", ...how, at, ...(sessionSeconds !== undefined ? { sessionSeconds } : {}) },
    {
      tuple: { next: tuple, expectVersion },
      announce: { requester: "granted", message: true, audit: true },
    },
  );
  await planNext(deps, grant);
  return grant;
}

/** Final: the grant fails, the tuple it was creating is released, the requester is told `words`. */
async function fail(deps: AppDeps, held: Held, words: string, detail: string): Promise<Grant> {
  const tuple = await deps.store.getTuple(targetOf(held.grant));
  const ours = tuple && tuple.state === "creating" && tuple.lease?.grantId === held.grant.id;
  const { grant } = await held.write(
    { type: "fail", reason: words, cause: detail },
    {
      ...(ours ? { tuple: { next: released(tuple), expectVersion: tuple.version } } : {}),
      announce: { requester: "failed", message: true, audit: true },
    },
  );
  deps.log.error("provisioning failed", { grantId: grant.id, reason: words, detail });
  await unplan(deps, grant);
  return grant;
}

/** Transient trouble: back off; after MAX_ATTEMPTS, fail only if no creation was ever asked for. */
/** `reason` in words (it reaches the audit channel); `cause` as the service said it (audit detail and log only). */
async function retryLater(
  deps: AppDeps,
  held: Held,
  reason: string,
  code: string,
  cause?: string,
): Promise<Grant> {
  const attempts = held.grant.attempts ?? 0;
  if (attempts + 1 >= MAX_ATTEMPTS && !held.grant.op) {
    return fail(deps, held, "Identity Center did not answer; nothing was created", cause ?? reason);
  }
  const { maxProvisionRetryMs } = timingsOf(deps);
  const at = deps.clock.now() + Math.min(WAIT_MS * 2 ** Math.min(attempts, 10), maxProvisionRetryMs);
  const { grant } = await held.handOff({
    type: "retry-later",
    reason,
    at,
    code,
    ...(cause ? { cause } : {}),
  });
  deps.log.warn("provisioning will be retried", { grantId: grant.id, reason, cause, attempts: attempts + 1 });
  await planNext(deps, grant, at);
  return grant;
}
