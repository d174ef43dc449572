import type { AuditEvent, AuditType } from "../domain/grant.js";
import type { AppDeps } from "./deps.js";

/** Audit event types that count as an outcome, and the metric each adds to (alarms watch these names). */
export const OUTCOME_METRICS: Partial<Record<AuditType, string>> = {
  activated: "granted",
  denied: "denied",
  failed: "failed",
  revoked: "revoked",
  "revoke-failed": "revoke-failed",
  refused: "refused",
};

/** The metric an audit event adds to, if any. */
export function metricOf(event: AuditEvent): string | undefined {
  return OUTCOME_METRICS[event.type];
}

/** Logs one lifecycle event with the grant id and actor on the line. */
export function logEvent(deps: AppDeps, audit: AuditEvent | undefined): void {
  if (!audit) return;
  deps.log.info(`grant ${audit.type}`, {
    grantId: audit.grantId,
    actor: audit.actor,
    status: audit.status,
    ...(audit.reason ? { reason: audit.reason } : {}),
  });
}
