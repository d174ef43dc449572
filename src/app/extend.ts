import { GrantNotFound, RequestRefused } from "../domain/errors.js";
import type { Grant } from "../domain/grant.js";
import { checkExtension, findRule, mayApprove } from "../domain/policy.js";
import { resolveActor } from "./actors.js";
import type { AppDeps } from "./deps.js";
import { announce, logEvent } from "./notify.js";
import { refuseOnGrant } from "./refusals.js";
import { planNext } from "./timing.js";
import { apply } from "./write.js";

/** Extends an active grant: self-service on auto-approved rules, otherwise an approver of its rule extends it. */
export async function extendGrant(
  deps: AppDeps,
  actorSlackId: string,
  grantId: string,
  addSeconds: number,
): Promise<Grant> {
  const grant = await deps.store.get(grantId);
  if (!grant) throw new GrantNotFound(grantId);
  if (grant.status !== "active") {
    throw new RequestRefused(`\`${grant.id}\` is ${grant.status}: only active grants can be extended.`);
  }
  const rule = findRule(deps.config, grant.rule);
  if (!rule) throw new RequestRefused(`The rule \`${grant.rule}\` is no longer in the configuration.`);
  const actor = await resolveActor(deps, actorSlackId);
  const selfService = rule.autoApprove && actor.slackId === grant.requester.slackId;
  if (!selfService) {
    const verdict = mayApprove(
      { ...rule, allowSelfApproval: rule.allowSelfApproval },
      grant.requester,
      actor,
      [],
    );
    if (!verdict.ok) {
      const hint = `. An approver of rule \`${rule.name}\` can run /aws-access extend ${grant.id} <duration>.`;
      return refuseOnGrant(deps, grant, actor.slackId, "extend", verdict.reason, hint);
    }
  }
  const check = checkExtension(rule, grant, addSeconds);
  if (!check.ok) throw new RequestRefused(check.reason);
  const result = await apply(deps, grant, { type: "extend", by: actor.slackId, addSeconds });
  logEvent(deps, result.audit);
  await planNext(deps, result.grant);
  await announce(deps, result.grant, result.audit, "extended");
  return result.grant;
}
