import type { Grant } from "../domain/grant.js";
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

/** The wake-ups a grant ended early may still have planned: its time-out, or its reminder and expiry. */
function plannedTimes(deps: AppDeps, grant: Grant): number[] {
  if (grant.expiresAt === undefined) return [grant.timeoutAt];
  const reminder = grant.expiresAt - deps.config.defaults.reminderBeforeSeconds * 1000;
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
