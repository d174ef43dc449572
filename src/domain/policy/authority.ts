import type { Rule } from "../config.js";
import { formatDuration } from "../duration.js";
import { describePrincipals, isIn, lower, plural, quote } from "./lookup.js";
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
    return { ok: false, reason: `Rule ${quote(rule.name)} ${why}: nobody approves its requests.` };
  }
  if (!isIn(approvers, approver)) {
    return {
      ok: false,
      reason: `You are not an approver for rule ${quote(rule.name)}: its approvers are ${describePrincipals(approvers)}.`,
    };
  }
  const sameEmail = requester.email !== "" && lower(requester.email) === lower(approver.email);
  if (!rule.allowSelfApproval && (requester.slackId === approver.slackId || sameEmail)) {
    return {
      ok: false,
      reason: `You cannot approve your own request: rule ${quote(rule.name)} needs someone else to approve it.`,
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
    ? `Only the requester or an approver of rule ${quote(rule.name)} (${describePrincipals(rule.approvers)}) may revoke this grant.`
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
    left > 0 ? `${quote(formatDuration(left))} is left to extend` : "nothing is left to extend";
  return {
    ok: false,
    reason: `Extending by ${quote(formatDuration(addSeconds))} would make ${quote(formatDuration(total))} from activation, but rule ${quote(rule.name)} allows at most ${quote(formatDuration(max))}; ${remaining}.`,
  };
}
