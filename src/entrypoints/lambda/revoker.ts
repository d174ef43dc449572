import { metric } from "../../adapters/log/json-logger.js";
import { driveGrant, sweepDue } from "../../app/sweep.js";
import { buildLambdaContext, type LambdaOverrides } from "./context.js";

export type RevokerEvent = { grantId: string } | { sweep: true };
type RevokerHandler = (event: RevokerEvent) => Promise<{ ok: boolean; seen?: number }>;

/** Built on the first event; a failed build (secret or config unreadable) is tried again on the next. */
let ready: Promise<RevokerHandler> | undefined;

/** Builds the revoker's adapters once per cold start; tests pass overrides to run it against local fakes. */
export async function buildRevokerHandler(overrides: LambdaOverrides = {}): Promise<RevokerHandler> {
  const { deps, log } = await buildLambdaContext("revoker", overrides);
  return async (event) => {
    if ("sweep" in event) {
      const report = await sweepDue(deps);
      metric("OverdueActiveGrants", report.overdue);
      log.info("sweep done", { ...report });
      if (report.errors > 0) throw new Error(`sweep: ${report.errors} grant(s) could not be moved on`);
      return { ok: true, seen: report.seen };
    }
    const ok = await driveGrant(deps, event.grantId);
    const after = await deps.store.get(event.grantId);
    log.info("grant driven", { grantId: event.grantId, status: after?.status });
    if (!ok) throw new Error(`grant ${event.grantId} could not be moved on; the sweep will try again`);
    return { ok };
  };
}

/** Invoked by a grant's one-time schedule ({grantId}) and by the one-minute rule ({sweep: true}). */
export async function handler(event: RevokerEvent): Promise<{ ok: boolean; seen?: number }> {
  ready ??= buildRevokerHandler().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  const handle = await ready;
  return handle(event);
}
