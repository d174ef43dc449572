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

/** Drops the grant's schedule; one left behind only wakes the revoker for a grant with nothing to do. */
export async function unplan(deps: AppDeps, grant: Grant): Promise<void> {
  try {
    await deps.scheduler.cancel(grant.id);
  } catch (error) {
    deps.log.warn("schedule not removed", { grantId: grant.id, error: String(error) });
  }
}
