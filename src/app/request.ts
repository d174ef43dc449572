import { MAX_REASON_LENGTH } from "../domain/grammar.js";
import type { AuditEvent, Grant } from "../domain/grant.js";
import { newGrantId } from "../domain/ids.js";
import { transition } from "../domain/lifecycle.js";
import { decideRequest } from "../domain/policy.js";
import { resolveRequester } from "./actors.js";
import type { AppDeps } from "./deps.js";
import { requestNotices } from "./notices.js";
import { logEvent } from "./notify.js";
import { refuseAsAsked } from "./refusals.js";
import { planNext } from "./timing.js";

export interface Ask {
  account: string;
  permissionSet: string;
  durationSeconds?: number;
  reason: string;
}

/** A request for access: checked against the rules, stored pending (or approved at once), posted for approval. */
export async function requestAccess(deps: AppDeps, actorSlackId: string, ask: Ask): Promise<Grant> {
  const reason = ask.reason.trim();
  const asked = { account: ask.account, permissionSet: ask.permissionSet };
  const refuse = (message: string, detail: AuditEvent["detail"] = asked) =>
    refuseAsAsked(deps, actorSlackId, message, undefined, detail);
  if (reason.length === 0) return refuse("A reason is required: say why you need the access.");
  // Counted in characters, as the command grammar counts them.
  const length = [...reason].length;
  if (length > MAX_REASON_LENGTH)
    return refuse(`The reason is ${length} characters; at most ${MAX_REASON_LENGTH}.`);
  const requester = await resolveRequester(deps, actorSlackId);
  const decision = decideRequest(deps.config, requester, ask);
  if (!decision.ok) return refuse(decision.message, { ...asked, code: decision.code });

  const now = deps.clock.now();
  const pending: Grant = {
    id: (deps.newId ?? newGrantId)(),
    version: 1,
    status: "pending",
    requester: { slackId: requester.slackId, email: requester.email, userId: requester.userId },
    account: decision.account,
    permissionSet: decision.permissionSet,
    rule: decision.rule.name,
    reason,
    durationSeconds: decision.durationSeconds,
    approvalsRequired: decision.approvalsRequired,
    allowSelfApproval: decision.allowSelfApproval,
    approvals: [],
    createdAt: now,
    timeoutAt: now + deps.config.defaults.requestTimeoutSeconds * 1000,
  };
  pending.dueAt = pending.timeoutAt;
  const requested: AuditEvent = {
    grantId: pending.id,
    at: now,
    actor: actorSlackId,
    type: "requested",
    status: "pending",
    reason,
    detail: {
      rule: decision.rule.name,
      durationSeconds: decision.durationSeconds,
      explanation: decision.explanation,
    },
  };
  let grant = pending;
  const audit = [requested];
  if (decision.autoApprove) {
    const approved = transition(pending, { type: "auto-approve" }, now, {
      reminderBeforeSeconds: deps.config.defaults.reminderBeforeSeconds,
    });
    grant = { ...approved.grant, version: 1 };
    if (approved.audit) audit.push(approved.audit);
  }
  await deps.store.create(grant, audit, requestNotices(deps, grant, decision.channel, audit));
  for (const event of audit) logEvent(deps, event);
  await deps.notices.kick();
  if (grant.status === "provisioning") await deps.jobs.drive(grant.id);
  else await planNext(deps, grant, grant.timeoutAt);
  return grant;
}
