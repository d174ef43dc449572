import type { Grant } from "../domain/grant.js";
import { timingsFor } from "../domain/policy.js";
import type { AppDeps } from "./deps.js";

/** Asks the scheduler to look at the grant at its next due time; a failure is logged, the sweep is the safety net. */
export async function planNext(deps: AppDeps, grant: Grant, at = grant.dueAt): Promise<void> {
  if (at === undefined) return;
  try {
    await deps.scheduler.schedule(grant.id, at);
  } catch (error) {
    deps.log.error("schedule not set; the sweep will pick the grant up", {
      grantId: grant.id,
      error: String(error),
    });
  }
}

/**
 * The wake-ups a grant ended early may still have planned: its approvers' reminder and time-out, or its reminder
 * and expiry (by its rule's timings).
 */
function plannedTimes(deps: AppDeps, grant: Grant): number[] {
  const timings = timingsFor(deps.config, grant.rule);
  if (grant.expiresAt === undefined) {
    const nudge = grant.createdAt + timings.approverReminderSeconds * 1000;
    const nudged =
      grant.message !== undefined && timings.approverReminderSeconds > 0 && nudge < grant.timeoutAt;
    return nudged ? [nudge, grant.timeoutAt] : [grant.timeoutAt];
  }
  const reminder = grant.expiresAt - timings.reminderBeforeSeconds * 1000;
  return grant.reminded ? [grant.expiresAt] : [reminder, grant.expiresAt];
}

/**
 * Drops the wake-ups of a grant that ended before its time; one left behind only wakes the revoker for a grant
 * with nothing to do, and deletes itself. A grant that ran its course has none left: each deleted itself as it fired.
 */
export async function unplan(deps: AppDeps, grant: Grant): Promise<void> {
  try {
    for (const at of new Set(plannedTimes(deps, grant))) await deps.scheduler.cancel(grant.id, at);
  } catch (error) {
    deps.log.warn("schedule not removed", { grantId: grant.id, error: String(error) });
  }
}
