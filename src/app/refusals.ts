import { GrantNotFound, NotAuthorised, RequestRefused } from "../domain/errors.js";
import type { AuditEvent, Grant } from "../domain/grant.js";
import type { AppDeps } from "./deps.js";

/** Writes a refusal to the audit trail (the grant's, when there is one); a store failure is logged, not thrown. */
export async function recordRefusal(
  deps: AppDeps,
  actor: string,
  reason: string,
  grantId?: string,
  detail?: AuditEvent["detail"],
): Promise<void> {
  const event: AuditEvent = { at: deps.clock.now(), actor, type: "refused", reason };
  if (grantId) event.grantId = grantId;
  if (detail) event.detail = detail;
  try {
    await deps.store.recordRefusal(event);
  } catch (error) {
    deps.log.error("audit: refusal not recorded", { actor, grantId, error: String(error) });
  }
  deps.log.info("refused", { actor, grantId, reason });
}

/** Records a refused click or command on a grant by someone not allowed to, then throws it for the caller to show. */
export async function refuseOnGrant(
  deps: AppDeps,
  grant: Grant,
  actor: string,
  action: string,
  reason: string,
  hint = "",
): Promise<never> {
  await recordRefusal(deps, actor, `${action} refused: ${reason}`, grant.id);
  throw new NotAuthorised(`You cannot ${action} \`${grant.id}\`: ${reason}${hint}`);
}

/** Records a request or command that cannot be done as asked (bad input, no rule, wrong status), then throws it. */
export async function refuseAsAsked(
  deps: AppDeps,
  actor: string,
  message: string,
  grant?: Grant,
  detail?: AuditEvent["detail"],
): Promise<never> {
  await recordRefusal(deps, actor, message, grant?.id, detail);
  throw new RequestRefused(message);
}

/** Loads a grant for a command or click; an unknown id is recorded and refused. */
export async function grantFor(deps: AppDeps, actor: string, grantId: string): Promise<Grant> {
  const grant = await deps.store.get(grantId);
  if (grant) return grant;
  await recordRefusal(deps, actor, `no grant \`${grantId}\``, undefined, { grantId });
  throw new GrantNotFound(grantId);
}
