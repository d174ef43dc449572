import type { AssignmentTuple, AuditEvent, Grant } from "../domain/grant.js";
import type { GrantEvent } from "../domain/lifecycle.js";
import { transition } from "../domain/lifecycle.js";
import type { AppDeps } from "./deps.js";

/** Applies an event and writes it conditionally, with its audit event and optional tuple, in one transaction. */
export async function apply(
  deps: AppDeps,
  grant: Grant,
  event: GrantEvent,
  tuple?: { next: AssignmentTuple; expectVersion: number | undefined },
): Promise<{ grant: Grant; audit?: AuditEvent }> {
  const now = deps.clock.now();
  const result = transition(grant, event, now, {
    reminderBeforeSeconds: deps.config.defaults.reminderBeforeSeconds,
  });
  await deps.store.save({
    grant: result.grant,
    expect: { status: grant.status, version: grant.version },
    audit: result.audit ? [result.audit] : [],
    ...(tuple ? { tuple } : {}),
  });
  return result;
}
