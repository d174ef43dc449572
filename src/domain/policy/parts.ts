import { MAX_PARTS } from "../command.js";
import type { AccessConfig } from "../config.js";
import { formatDuration } from "../duration.js";
import type { Approval, Grant } from "../grant.js";
import { mayApprove } from "./authority.js";
import { backticked, channelFor, describePrincipals, findRule, lower, plural } from "./lookup.js";
import { decideRequest, describeOffers, offersFor } from "./request-rules.js";
import type { Actor, Approved, RefusalCode, Refused } from "./types.js";

/** What a request names: every account with every permission set, and one duration for all of them. */
export interface PartsAsk {
  accounts: readonly string[];
  permissionSets: readonly string[];
  durationSeconds?: number;
}

/** A request whose every part a rule allows: one duration, one channel, one decision. */
export interface ApprovedParts {
  ok: true;
  /** In the order asked: accounts first, then permission sets. */
  parts: Approved[];
  durationSeconds: number;
  /** Every part is granted at once; otherwise the request waits for the approvals of all its parts. */
  autoApprove: boolean;
  /** Where the request is posted: the channel of the parts that need approval. */
  channel: string;
  explanation: string;
}

/**
 * Decides a request of one or more parts: each (account, permission set) by its own first matching rule, the
 * duration within every part's maximum (left out: the default, cut to the smallest maximum). Any part refused
 * refuses the whole request, naming the part.
 */
export function decideParts(config: AccessConfig, requester: Actor, ask: PartsAsk): ApprovedParts | Refused {
  const refuse = partsRefuser(config, requester);
  const pairs = ask.accounts.flatMap((account) =>
    ask.permissionSets.map((permissionSet) => ({ account, permissionSet })),
  );
  if (pairs.length === 0) return refuse("no-parts", "Name at least one account and one permission set.");
  if (pairs.length > MAX_PARTS) {
    return refuse(
      "too-many-parts",
      `At most ${MAX_PARTS} parts in one request: this one asks for ${pairs.length} (accounts times permission sets).`,
    );
  }
  const decided = decideAtOneDuration(config, requester, pairs, ask.durationSeconds, refuse);
  if (!decided.ok) return decided;
  return inOneChannel(config, decided.parts, decided.durationSeconds, refuse);
}

type Pair = { account: string; permissionSet: string };
type RefuseParts = (code: RefusalCode, message: string) => Refused;

/** Refusals of the request as a whole end with what the requester may ask for instead. */
function partsRefuser(config: AccessConfig, requester: Actor): RefuseParts {
  return (code, message) => {
    const alternatives = offersFor(config, requester);
    return { ok: false, code, message: `${message} ${describeOffers(alternatives)}`, alternatives };
  };
}

/** Every part at the duration asked; with none asked, at the default cut to the smallest maximum of the parts. */
function decideAtOneDuration(
  config: AccessConfig,
  requester: Actor,
  pairs: readonly Pair[],
  asked: number | undefined,
  refuse: RefuseParts,
): { ok: true; parts: Approved[]; durationSeconds: number } | Refused {
  const decided = decidePairs(config, requester, pairs, asked, refuse);
  if (!Array.isArray(decided)) return decided;
  const durationSeconds = asked ?? Math.min(...decided.map((d) => d.durationSeconds));
  if (asked !== undefined || pairs.length === 1) return { ok: true, parts: decided, durationSeconds };
  // The default, cut to the smallest maximum: every part gets the same, and each says so.
  const again = decidePairs(config, requester, pairs, durationSeconds, refuse);
  return Array.isArray(again) ? { ok: true, parts: again, durationSeconds } : again;
}

/** Each part by its own rule, in order; the first refusal names its part, and a part asked for twice is refused. */
function decidePairs(
  config: AccessConfig,
  requester: Actor,
  pairs: readonly Pair[],
  durationSeconds: number | undefined,
  refuse: RefuseParts,
): Approved[] | Refused {
  const several = pairs.length > 1;
  const decided: Approved[] = [];
  for (const pair of pairs) {
    const decision = decideRequest(config, requester, {
      ...pair,
      ...(durationSeconds === undefined ? {} : { durationSeconds }),
    });
    if (!decision.ok) {
      if (!several) return decision;
      const what = `${backticked(pair.permissionSet)} in ${backticked(pair.account)}`;
      return { ...decision, message: `${what}: ${decision.message}`, part: pair } satisfies Refused;
    }
    const twin = decided.find(
      (d) => d.account.id === decision.account.id && d.permissionSet.arn === decision.permissionSet.arn,
    );
    if (twin) {
      return refuse(
        "duplicate-part",
        `${backticked(decision.permissionSet.name)} in ${backticked(decision.account.alias)} is asked for twice (${backticked(pair.account)} names the same account as ${backticked(twin.account.alias)}).`,
      );
    }
    decided.push(decision);
  }
  return decided;
}

/** The decided parts as one request, posted in the one channel of the parts that need approval. */
function inOneChannel(
  config: AccessConfig,
  decided: readonly Approved[],
  durationSeconds: number,
  refuse: RefuseParts,
): ApprovedParts | Refused {
  const waiting = decided.filter((d) => !d.autoApprove);
  const channels = [...new Set(waiting.map((d) => channelFor(config, d.rule)))];
  if (channels.length > 1) {
    const where = waiting.map(
      (d) =>
        `${backticked(d.permissionSet.name)} in ${backticked(d.account.alias)} in ${backticked(channelFor(config, d.rule))}`,
    );
    return refuse(
      "different-channels",
      `The parts of this request are approved in different channels (${where.join(", ")}); ask for them in separate requests.`,
    );
  }
  const parts = decided.map((d) => ({ ...d, durationSeconds }));
  const first = parts[0] as Approved;
  return {
    ok: true,
    parts,
    durationSeconds,
    autoApprove: waiting.length === 0,
    channel: channels[0] ?? channelFor(config, first.rule),
    explanation: parts.length > 1 ? explainParts(parts, durationSeconds) : first.explanation,
  };
}

function explainParts(parts: readonly Approved[], seconds: number): string {
  const lines = parts.map((part) => {
    const what = `${backticked(part.permissionSet.name)} in ${backticked(part.account.alias)}`;
    const needs = part.autoApprove
      ? "no approval needed"
      : `${plural(part.approvalsRequired, "approval")} from ${describePrincipals(part.rule.approvers)}`;
    return `${what} (rule ${backticked(part.rule.name)}, ${needs})`;
  });
  const decision = parts.every((part) => part.autoApprove)
    ? "Granted at once, without approval."
    : "Every part waits until each has the approvals its rule needs; one Deny denies them all.";
  return `${plural(parts.length, "part")} for ${backticked(formatDuration(seconds))}: ${lines.join("; ")}. ${decision}`;
}

/** What one approver's click does to a request: which parts it approves, and whether that completes it. */
export type ApprovalPlan = { ok: true; approve: string[]; complete: boolean } | { ok: false; reason: string };

/**
 * An approver's click on a request of one or more pending parts: it approves every part that still needs approvals
 * and that this approver may approve (each checked against its own rule); the request is complete when every part
 * has its rule's quorum of distinct people. Refused when it would approve nothing, saying why for each part. When
 * every part has its quorum already (approvals written side by side), an approver of any part completes it.
 */
export function planApproval(config: AccessConfig, parts: readonly Grant[], approver: Actor): ApprovalPlan {
  const waiting = parts.filter((part) => !hasQuorum(part));
  if (waiting.length === 0) return completeApproved(config, parts, approver);
  const verdicts = waiting.map((part) => {
    const rule = findRule(config, part.rule);
    const verdict = rule
      ? mayApprove(rule, part.requester, approver, part.approvals)
      : { ok: false as const, reason: `the rule ${backticked(part.rule)} is no longer in the configuration` };
    return { part, verdict };
  });
  const approve = verdicts.filter(({ verdict }) => verdict.ok).map(({ part }) => part);
  if (approve.length === 0) {
    const reasons = verdicts.map(({ part, verdict }) =>
      verdict.ok ? "" : explainFor(parts, part, verdict.reason),
    );
    return { ok: false, reason: [...new Set(reasons)].join(" ") || "It has all the approvals it needs." };
  }
  const by: Approval = { slackId: approver.slackId, email: approver.email, at: 0 };
  const complete = parts.every((part) => {
    const approvals = approve.includes(part) ? [...part.approvals, by] : part.approvals;
    return distinctPeople(approvals) >= part.approvalsRequired;
  });
  return { ok: true, approve: approve.map((part) => part.id), complete };
}

/** A request whose every part has its quorum: approved as it stands by anyone who may approve one of its parts. */
function completeApproved(config: AccessConfig, parts: readonly Grant[], approver: Actor): ApprovalPlan {
  const reasons: string[] = [];
  for (const part of parts) {
    const rule = findRule(config, part.rule);
    const verdict = rule
      ? mayApprove(rule, part.requester, approver, [])
      : { ok: false as const, reason: `the rule ${backticked(part.rule)} is no longer in the configuration` };
    if (verdict.ok) return { ok: true, approve: [], complete: true };
    reasons.push(explainFor(parts, part, verdict.reason));
  }
  return { ok: false, reason: [...new Set(reasons)].join(" ") || "It has no parts left to approve." };
}

/** Whether every part of a request still pending has its rule's quorum: nothing is left but to release them. */
export function everyPartApproved(parts: readonly Grant[]): boolean {
  const pending = parts.filter((part) => part.status === "pending");
  return pending.length > 0 && pending.every(hasQuorum);
}

/** Whether a grant has its rule's quorum of distinct people. */
export function hasQuorum(grant: Grant): boolean {
  return distinctPeople(grant.approvals) >= grant.approvalsRequired;
}

/** Whether `actor` may deny a request: an approver of any of its parts' rules (the requester cancels instead). */
export function mayDeny(
  config: AccessConfig,
  parts: readonly Grant[],
  actor: Actor,
): { ok: true } | { ok: false; reason: string } {
  const reasons: string[] = [];
  for (const part of parts) {
    const rule = findRule(config, part.rule);
    const verdict = rule
      ? mayApprove(rule, part.requester, actor, [])
      : { ok: false as const, reason: `the rule ${backticked(part.rule)} is no longer in the configuration` };
    if (verdict.ok) return verdict;
    reasons.push(explainFor(parts, part, verdict.reason));
  }
  return { ok: false, reason: [...new Set(reasons)].join(" ") };
}

/** A part's reason, naming the part when the request has several. */
function explainFor(parts: readonly Grant[], part: Grant, reason: string): string {
  if (parts.length <= 1) return reason;
  return `${backticked(part.permissionSet.name)} in ${backticked(part.account.alias)}: ${reason}`;
}

/** Distinct people among approvals, by email where known: one person from two Slack accounts counts once. */
function distinctPeople(approvals: readonly Approval[]): number {
  return new Set(approvals.map((a) => (a.email ? lower(a.email) : a.slackId))).size;
}
