import { GrantChangedConcurrently, TupleChangedConcurrently } from "../domain/errors.js";
import type { Grant } from "../domain/grant.js";
import { SYSTEM_ACTOR } from "../domain/grant.js";
import type { AppDeps } from "./deps.js";
import { DriveQueue, type Lane } from "./drive-queue.js";
import { OVERDUE_METRIC_NAME } from "./metrics.js";
import { nudgeApprovers, nudgeDue } from "./nudge.js";
import { type DriveOptions, provisionGrant } from "./provision.js";
import { releaseApproved } from "./release.js";
import { EXPIRED, finishRevocation, startRevocation } from "./revoke.js";
import { planNext } from "./timing.js";
import { apply } from "./write.js";

/** Grants past their time by more than this are reported as overdue (an alarm watches the figure). */
export const OVERDUE_MS = 5 * 60_000;
/** Grants driven at once by a sweep that brings its own queue (Lambda, the CLI). */
const PARALLEL = 32;

export interface SweepReport {
  seen: number;
  errors: number;
  /** Grants more than OVERDUE_MS past their time: active or revoking past expiry, provisioning since approval. */
  overdue: number;
}

/** Moves one grant on from wherever it is: time-out, provisioning, reminder, expiry, revocation. Never throws. */
export async function driveGrant(
  deps: AppDeps,
  grantId: string,
  options: DriveOptions & { pendingOnly?: boolean } = {},
): Promise<boolean> {
  try {
    const grant = await deps.store.get(grantId);
    // A click past a request's time-out runs only the pending step: a grant it released is the engine's to provision.
    if (grant && (!options.pendingOnly || grant.status === "pending")) await step(deps, grant, options);
    return true;
  } catch (error) {
    if (error instanceof GrantChangedConcurrently || error instanceof TupleChangedConcurrently) return true;
    deps.log.error("grant could not be moved on", {
      grantId,
      error: error instanceof Error ? error.message : String(error),
    });
    return false;
  }
}

async function step(deps: AppDeps, grant: Grant, options: DriveOptions): Promise<void> {
  const now = deps.clock.now();
  switch (grant.status) {
    case "pending":
      // Every part approved, yet waiting (approvals written side by side): released, as the last approval would.
      if ((await releaseApproved(deps, grant)).length > 0) return;
      if (grant.timeoutAt <= now) {
        const announce = { requester: "timed-out" as const, message: true, audit: true };
        await apply(deps, grant, { type: "time-out" }, { announce });
      } else if (nudgeDue(deps, grant)) {
        await nudgeApprovers(deps, grant);
      } else {
        await planNext(deps, grant);
      }
      return;
    case "provisioning":
      await provisionGrant(deps, grant, options);
      return;
    case "active":
      if (grant.expiresAt !== undefined && grant.expiresAt <= now) {
        const revoking = await startRevocation(deps, grant, SYSTEM_ACTOR, EXPIRED);
        if (revoking.status === "revoking") await finishRevocation(deps, revoking, options);
      } else if (grant.dueAt !== undefined && grant.dueAt <= now && !grant.reminded) {
        const result = await apply(deps, grant, { type: "remind" }, { announce: { requester: "reminder" } });
        await planNext(deps, result.grant);
      } else {
        // Woken before its time (a schedule left from before an extension): wake it again when it is due.
        await planNext(deps, grant);
      }
      return;
    case "revoking":
      await finishRevocation(deps, grant, options);
      return;
    default:
      return;
  }
}

/** Which lane a due grant goes in: whatever ends access first. */
export function laneOf(grant: Grant, now: number): Lane {
  if (grant.status === "revoking") return "revoke";
  if (grant.status === "active" && grant.expiresAt !== undefined && grant.expiresAt <= now) return "revoke";
  return "other";
}

/** Whether a grant is more than OVERDUE_MS past the time it should have moved on. */
export function isOverdue(grant: Grant, now: number): boolean {
  const late = now - OVERDUE_MS;
  const failingSince = grant.trouble?.since ?? now;
  if (grant.status === "active") return grant.expiresAt < late;
  if (grant.status === "revoking") return (grant.expiresAt ?? now) < late || failingSince < late;
  // A grant approved before its scheduled start is due at the start, not at its approval.
  const since = Math.max(grant.decidedAt ?? now, grant.startsAt ?? 0);
  if (grant.status === "provisioning") return since < late || failingSince < late;
  return false;
}

/** Open grants may be due this far ahead and still overdue: a revocation backing off waits up to 5 minutes. */
const OVERDUE_HORIZON_MS = 6 * 60_000;

/** Overdue grants, counted from the due index alone (a cheap read), for the alarm: seen even when a pass cannot end. */
export async function countOverdue(deps: AppDeps): Promise<number> {
  const now = deps.clock.now();
  let overdue = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.due(now + OVERDUE_HORIZON_MS, cursor, 100);
    cursor = page.cursor;
    overdue += page.items.filter((grant) => isOverdue(grant, now)).length;
  } while (cursor);
  return overdue;
}

/** Counts the overdue grants and reports the count, zero included, so the alarms see every sweep start. */
export async function reportOverdue(deps: AppDeps): Promise<number> {
  const overdue = await countOverdue(deps);
  deps.metrics?.count(OVERDUE_METRIC_NAME, overdue);
  return overdue;
}

/**
 * One pass over the store's due index: grants due now go to the queue (expiries first), grants due before the
 * next pass get a timer. Without a queue, the pass drives what it found and returns when done.
 */
export async function sweepDue(
  deps: AppDeps,
  options: { lookaheadMs?: number; stopped?: () => boolean; queue?: DriveQueue } & DriveOptions = {},
): Promise<SweepReport> {
  const now = deps.clock.now();
  const own = options.queue === undefined;
  const queue =
    options.queue ??
    new DriveQueue(
      (id) => driveGrant(deps, id, options.deadline === undefined ? {} : { deadline: options.deadline }),
      PARALLEL,
    );
  const report: SweepReport = { seen: 0, errors: 0, overdue: 0 };
  const later: Grant[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.due(now + (options.lookaheadMs ?? 0), cursor, 100);
    cursor = page.cursor;
    for (const grant of page.items) {
      if (isOverdue(grant, now)) report.overdue++;
      if ((grant.dueAt ?? 0) > now) {
        later.push(grant);
        continue;
      }
      report.seen++;
      queue.submit(grant.id, laneOf(grant, now));
    }
  } while (cursor && !options.stopped?.());
  // Due before the next pass: a timer makes it exact, also after a restart or on another server.
  for (const grant of later) await planNext(deps, grant);
  if (own) {
    await queue.idle();
    report.errors = queue.failed;
  }
  return report;
}
