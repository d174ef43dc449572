import type { AuditEvent, AuditType } from "../domain/grant.js";

/**
 * Audit event types that count as an outcome, and the metric each adds to: keyed on the event type, never on log
 * text, so rewording a log line cannot silence an alarm (infra/constructs/alarms.ts takes its names from here).
 */
export const OUTCOME_METRICS = {
  activated: "granted",
  denied: "denied",
  failed: "failed",
  revoked: "revoked",
  "revoke-failed": "revoke-failed",
  refused: "refused",
} as const satisfies Partial<Record<AuditType, string>>;

/** The gauge of grants past their time, written at the start of every sweep (its absence is an alarm too). */
export const OVERDUE_METRIC_NAME = "OverdueActiveGrants";

/** The metric an audit event adds to, if any. */
export function metricOf(event: AuditEvent): string | undefined {
  const metrics: Partial<Record<AuditType, string>> = OUTCOME_METRICS;
  return metrics[event.type];
}
