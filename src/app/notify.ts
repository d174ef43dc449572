import type { AuditEvent } from "../domain/grant.js";
import type { AppDeps } from "./deps.js";

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
