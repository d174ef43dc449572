import { NotAuthorised } from "../domain/errors.js";
import type { Grant } from "../domain/grant.js";
import type { AppDeps } from "./deps.js";

/** Records a refused click or command on a grant in its audit trail, then throws it for the caller to show. */
export async function refuseOnGrant(
  deps: AppDeps,
  grant: Grant,
  actor: string,
  action: string,
  reason: string,
  hint = "",
): Promise<never> {
  await deps.store.recordRefusal({
    grantId: grant.id,
    at: deps.clock.now(),
    actor,
    type: "refused",
    reason: `${action} refused: ${reason}`,
  });
  deps.log.info(`${action} refused`, { grantId: grant.id, actor, reason });
  throw new NotAuthorised(`You cannot ${action} \`${grant.id}\`: ${reason}${hint}`);
}
