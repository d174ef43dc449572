import { GrantChangedConcurrently, TupleChangedConcurrently } from "../domain/errors.js";
import type { Grant } from "../domain/grant.js";
import { SYSTEM_ACTOR } from "../domain/grant.js";
import type { AppDeps } from "./deps.js";
import { announce, logEvent } from "./notify.js";
import { provisionGrant } from "./provision.js";
import { EXPIRED, finishRevocation, startRevocation } from "./revoke.js";
import { planNext } from "./timing.js";
import { apply } from "./write.js";

/** Grants past expiry by more than this are reported as overdue (an alarm watches the figure). */
export const OVERDUE_MS = 5 * 60_000;
const PARALLEL = 8;

export interface SweepReport {
  seen: number;
  errors: number;
  /** Active grants more than OVERDUE_MS past their expiry. */
  overdue: number;
}

/** Moves one grant on from wherever it is: time-out, provisioning, reminder, expiry, revocation. Never throws. */
export async function driveGrant(deps: AppDeps, grantId: string): Promise<boolean> {
  try {
    const grant = await deps.store.get(grantId);
    if (grant) await step(deps, grant);
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

async function step(deps: AppDeps, grant: Grant): Promise<void> {
  const now = deps.clock.now();
  switch (grant.status) {
    case "pending":
      if (grant.timeoutAt <= now) {
        const result = await apply(deps, grant, { type: "time-out" });
        logEvent(deps, result.audit);
        await announce(deps, result.grant, result.audit, "timed-out");
      }
      return;
    case "provisioning":
      await provisionGrant(deps, grant);
      return;
    case "active":
      if (grant.expiresAt !== undefined && grant.expiresAt <= now) {
        const revoking = await startRevocation(deps, grant, SYSTEM_ACTOR, EXPIRED);
        if (revoking.status === "revoking") await finishRevocation(deps, revoking);
      } else if (grant.dueAt !== undefined && grant.dueAt <= now && !grant.reminded) {
        const result = await apply(deps, grant, { type: "remind" });
        logEvent(deps, result.audit);
        await planNext(deps, result.grant);
        await announce(deps, result.grant, undefined, "reminder");
      }
      return;
    case "revoking":
      await finishRevocation(deps, grant);
      return;
    default:
      return;
  }
}

/** One expiry pass over the store's due index: expiries, revocations and time-outs first, provisioning after. */
export async function sweepDue(
  deps: AppDeps,
  options: { lookaheadMs?: number; stopped?: () => boolean } = {},
): Promise<SweepReport> {
  const now = deps.clock.now();
  const report: SweepReport = { seen: 0, errors: 0, overdue: 0 };
  const provisioning: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.due(now + (options.lookaheadMs ?? 0), cursor, 100);
    cursor = page.cursor;
    const due: Grant[] = [];
    for (const grant of page.items) {
      if ((grant.dueAt ?? 0) > now) {
        // Due before the next pass: a timer makes it exact, also after a restart or on another server.
        await planNext(deps, grant);
        continue;
      }
      if (grant.status === "active" && grant.expiresAt !== undefined && grant.expiresAt < now - OVERDUE_MS) {
        report.overdue++;
      }
      if (grant.status === "provisioning") provisioning.push(grant.id);
      else due.push(grant);
    }
    report.seen += due.length;
    report.errors += await driveAll(
      deps,
      due.map((grant) => grant.id),
      options.stopped,
    );
  } while (cursor && !options.stopped?.());
  // Slow Identity Center polling must not hold up an expiry: provisioning goes last, through the job runner.
  report.seen += provisioning.length;
  await Promise.all(provisioning.map((id) => deps.jobs.drive(id)));
  return report;
}

async function driveAll(deps: AppDeps, ids: string[], stopped?: () => boolean): Promise<number> {
  let errors = 0;
  for (let i = 0; i < ids.length && !stopped?.(); i += PARALLEL) {
    const results = await Promise.all(ids.slice(i, i + PARALLEL).map((id) => driveGrant(deps, id)));
    errors += results.filter((ok) => !ok).length;
  }
  return errors;
}
