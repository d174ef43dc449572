import type { Grant } from "../domain/grant.js";
import { isEligible } from "../domain/policy/lookup.js";
import { checkExtension, describePrincipals, findRule, mayApprove } from "../domain/policy.js";
import { resolveActor } from "./actors.js";
import type { AppDeps } from "./deps.js";
import { grantFor, refuseAsAsked, refuseOnGrant } from "./refusals.js";
import { planNext } from "./timing.js";
import { apply } from "./write.js";

/** Extends an active grant: self-service on auto-approved rules, otherwise an approver of its rule extends it. */
export async function extendGrant(
  deps: AppDeps,
  actorSlackId: string,
  grantId: string,
  addSeconds: number,
): Promise<Grant> {
  const grant = await grantFor(deps, actorSlackId, grantId);
  if (grant.status !== "active") {
    const message = `\`${grant.id}\` is ${grant.status}: only active grants can be extended.`;
    return refuseAsAsked(deps, actorSlackId, message, grant);
  }
  const rule = findRule(deps.config, grant.rule);
  if (!rule) {
    const message = `The rule \`${grant.rule}\` is no longer in the configuration.`;
    return refuseAsAsked(deps, actorSlackId, message, grant);
  }
  const actor = await resolveActor(deps, actorSlackId);
  const selfService = rule.autoApprove && actor.slackId === grant.requester.slackId;
  if (selfService && !isEligible(rule, actor)) {
    // Group membership or the rule may have changed since the request: the same test `help` and requests use.
    const reason = `you are no longer among those rule \`${rule.name}\` lets request (${describePrincipals(rule.requesters)})`;
    return refuseOnGrant(deps, grant, actor.slackId, "extend", reason, "; nothing was changed.");
  }
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
  if (!check.ok) return refuseAsAsked(deps, actorSlackId, check.reason, grant);
  const result = await apply(
    deps,
    grant,
    { type: "extend", by: actor.slackId, addSeconds },
    { announce: { requester: "extended", message: true, audit: true } },
  );
  await planNext(deps, result.grant);
  return result.grant;
}
