import type { Rule } from "../config.js";
import { formatDuration } from "../duration.js";
import type { Grant } from "../grant.js";
import { backticked, describePrincipals, isEligible, isIn, lower, plural } from "./lookup.js";
import type { Actor, Check } from "./types.js";

/** Whether `approver` may approve a request under `rule` (invariant 4); called at click time. */
export function mayApprove(
  rule: Rule,
  requester: { slackId: string; email: string },
  approver: Actor,
  /** Slack ids, or approvals with their emails: one person approving from two Slack accounts counts once. */
  alreadyApprovedBy: readonly (string | { slackId: string; email: string })[],
): Check {
  const approvers = rule.approvers;
  if (!approvers || approvers.groups.length + approvers.emails.length === 0) {
    const why = rule.autoApprove ? "is approved automatically" : "names no approvers";
    return { ok: false, reason: `Rule ${backticked(rule.name)} ${why}: nobody approves its requests.` };
  }
  if (!isIn(approvers, approver)) {
    return {
      ok: false,
      reason: `You are not an approver for rule ${backticked(rule.name)}: its approvers are ${describePrincipals(approvers)}.`,
    };
  }
  const sameEmail = requester.email !== "" && lower(requester.email) === lower(approver.email);
  if (!rule.allowSelfApproval && (requester.slackId === approver.slackId || sameEmail)) {
    return {
      ok: false,
      reason: `You cannot approve your own request: rule ${backticked(rule.name)} needs someone else to approve it.`,
    };
  }
  const person = (a: string | { slackId: string; email: string }) =>
    typeof a === "string" ? a : a.email ? lower(a.email) : a.slackId;
  const distinct = new Set(alreadyApprovedBy.map(person));
  if (distinct.has(approver.slackId) || (approver.email !== "" && distinct.has(lower(approver.email)))) {
    const left = Math.max(0, rule.approvalsRequired - distinct.size);
    const more = left === 0 ? "it has all the approvals it needs" : `${plural(left, "more approval")} needed`;
    return { ok: false, reason: `You have already approved; ${more}.` };
  }
  return { ok: true };
}

/** Whether `actor` may revoke a grant early: its requester, or an approver of its rule. */
export function mayRevoke(rule: Rule | undefined, requester: { slackId: string }, actor: Actor): Check {
  if (actor.slackId === requester.slackId) return { ok: true };
  if (rule && isIn(rule.approvers, actor)) return { ok: true };
  const reason = rule
    ? `Only the requester or an approver of rule ${backticked(rule.name)} (${describePrincipals(rule.approvers)}) may revoke this grant.`
    : "Only the requester may revoke this grant: its rule is no longer in the access config.";
  return { ok: false, reason };
}

/** Whether a grant may be extended: its total length from activation must stay within the rule's maximum. */
export function checkExtension(
  rule: Rule,
  grant: { activatedAt?: number; expiresAt?: number; durationSeconds: number },
  addSeconds: number,
): { ok: true; newDurationSeconds: number } | { ok: false; reason: string } {
  if (!(addSeconds > 0)) return { ok: false, reason: "An extension must be longer than zero." };
  const max = rule.maxDurationSeconds;
  const current =
    grant.activatedAt !== undefined && grant.expiresAt !== undefined
      ? Math.round((grant.expiresAt - grant.activatedAt) / 1000)
      : grant.durationSeconds;
  const total = current + addSeconds;
  if (total <= max) return { ok: true, newDurationSeconds: total };
  const left = max - current;
  const remaining =
    left > 0 ? `${backticked(formatDuration(left))} is left to extend` : "nothing is left to extend";
  return {
    ok: false,
    reason: `Extending by ${backticked(formatDuration(addSeconds))} would make ${backticked(formatDuration(total))} from activation, but rule ${backticked(rule.name)} allows at most ${backticked(formatDuration(max))}; ${remaining}.`,
  };
}

/**
 * What an `extend` by `actor` does to an active grant under its rule, or why it may not. Auto-approved rules: only
 * the requester extends, at once. Otherwise the requester asks the approvers, and an approver's own `extend` counts
 * as their approval (at once when the rule needs one); a waiting extension is decided before another is asked for.
 */
export type ExtensionPlan =
  | { kind: "now" }
  | { kind: "ask"; withApproval: boolean }
  | { kind: "approve-waiting"; extensionId: string }
  /** The actor may not extend this grant: `You cannot extend …: <reason><hint>`. */
  | { kind: "not-authorised"; reason: string; hint: string }
  /** The extension cannot be done as asked. */
  | { kind: "refused"; message: string };

export function planExtension(rule: Rule, grant: Grant, actor: Actor, addSeconds: number): ExtensionPlan {
  const isRequester = actor.slackId === grant.requester.slackId;
  if (rule.autoApprove) {
    if (!isRequester) {
      const hint = `; only its requester extends it (rule \`${rule.name}\` grants at once).`;
      return { kind: "not-authorised", reason: "nobody approves its rule's grants", hint };
    }
    return notEligible(rule, actor) ?? noRoom(rule, grant, addSeconds) ?? { kind: "now" };
  }
  const waiting = grant.extension?.status === "pending" ? grant.extension : undefined;
  const verdict = mayApprove(rule, grant.requester, actor, waiting?.approvals ?? []);
  if (waiting) {
    if (verdict.ok && waiting.addSeconds === addSeconds)
      return { kind: "approve-waiting", extensionId: waiting.id };
    const message = `An extension of ${backticked(grant.id)} by ${backticked(formatDuration(waiting.addSeconds))} is already waiting for approval; it is decided in the approval message's thread first.`;
    return { kind: "refused", message };
  }
  if (!verdict.ok && !isRequester) {
    const hint = ` Its requester can ask for more time with /aws-access extend ${grant.id} <duration>.`;
    return { kind: "not-authorised", reason: verdict.reason, hint };
  }
  const refusal = (verdict.ok ? undefined : notEligible(rule, actor)) ?? noRoom(rule, grant, addSeconds);
  if (refusal) return refusal;
  if (verdict.ok && rule.approvalsRequired <= 1) return { kind: "now" };
  return { kind: "ask", withApproval: verdict.ok };
}

/** Group membership or the rule may have changed since the request: the same test `help` and requests use. */
function notEligible(rule: Rule, actor: Actor): ExtensionPlan | undefined {
  if (isEligible(rule, actor)) return undefined;
  const reason = `you are no longer among those rule \`${rule.name}\` lets request (${describePrincipals(rule.requesters)})`;
  return { kind: "not-authorised", reason, hint: "; nothing was changed." };
}

/** The grant's total length from activation must stay within the rule's maximum. */
function noRoom(rule: Rule, grant: Grant, addSeconds: number): ExtensionPlan | undefined {
  const check = checkExtension(rule, grant, addSeconds);
  return check.ok ? undefined : { kind: "refused", message: check.reason };
}

/**
 * Whether `actor` may decide a waiting extension: the one who asked withdraws it with Deny; anyone else must be an
 * approver of the rule who has not approved it yet (for Deny, any approver).
 */
export function mayDecideExtension(
  rule: Rule,
  grant: Grant,
  waiting: { by: string; approvals: readonly { slackId: string; email: string }[] },
  actor: Actor,
  decision: "approve" | "deny",
): { ok: true; withdraw: boolean } | { ok: false; reason: string } {
  if (decision === "deny" && actor.slackId === waiting.by) return { ok: true, withdraw: true };
  const verdict = mayApprove(rule, grant.requester, actor, decision === "approve" ? waiting.approvals : []);
  return verdict.ok ? { ok: true, withdraw: false } : verdict;
}
