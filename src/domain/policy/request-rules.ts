import type { AccessConfig, Principals, Rule } from "../config.js";
import { formatDuration } from "../duration.js";
import { closest } from "../suggest.js";
import {
  backticked,
  backtickedAll,
  covers,
  describePrincipals,
  isEligible,
  isManagement,
  plural,
  resolveAccount,
  resolvePermissionSet,
} from "./lookup.js";
import {
  type Actor,
  type Approved,
  MANAGEMENT_ACCOUNT_REASON,
  type Offer,
  type OnePartAsk,
  type RefusalCode,
  type Refused,
} from "./types.js";

/** What this person may request, grouped by account and limits; the management account is never offered. */
export function offersFor(config: AccessConfig, requester: Actor): Offer[] {
  const offers = new Map<string, Offer>();
  for (const [alias, account] of Object.entries(config.accounts)) {
    if (isManagement(config, account.id)) continue;
    for (const [setName, arn] of Object.entries(config.permissionSets)) {
      const rule = config.rules.find((r) => covers(config, r, account.id, arn) && isEligible(r, requester));
      if (!rule) continue;
      const key = `${alias}\n${rule.maxDurationSeconds}\n${rule.autoApprove}`;
      const offer = offers.get(key) ?? {
        account: alias,
        permissionSets: [],
        maxDurationSeconds: rule.maxDurationSeconds,
        autoApprove: rule.autoApprove,
      };
      offer.permissionSets.push(setName);
      offers.set(key, offer);
    }
  }
  return [...offers.values()];
}

/** One sentence listing offers, for help and for refusals. */
export function describeOffers(offers: readonly Offer[]): string {
  if (offers.length === 0) return "You may not request any access yet; ask the owners of the access config.";
  const lines = offers.map(
    (offer) =>
      `${backticked(offer.account)} ${backtickedAll(offer.permissionSets)} (up to ${backticked(formatDuration(offer.maxDurationSeconds))}, ${offer.autoApprove ? "granted at once" : "with approval"})`,
  );
  return `You may request: ${lines.join("; ")}.`;
}

/** Decides a request against the rules: resolve what it names, find the rule that lets the requester in, check the duration. */
export function decideRequest(config: AccessConfig, requester: Actor, ask: OnePartAsk): Approved | Refused {
  const refuse = refuser(offersFor(config, requester));
  const target = resolveTarget(config, ask, refuse);
  if (!target.ok) return target;
  const found = eligibleRule(config, requester, target, refuse);
  if (!found.ok) return found;
  return decideDuration(config, ask, target, found.rule, refuse);
}

type Refuse = (code: RefusalCode, message: string, rule?: string, instead?: string) => Refused;

/** The account and permission set a request names, resolved, with the words that name them in messages. */
interface Target {
  ok: true;
  account: Approved["account"];
  permissionSet: Approved["permissionSet"];
  what: string;
}

/** Refusals end with what the requester may ask for instead, unless the caller says otherwise. */
function refuser(alternatives: Offer[]): Refuse {
  return (code, message, rule, instead = describeOffers(alternatives)) => ({
    ok: false,
    code,
    message: `${message} ${instead}`,
    alternatives,
    ...(rule ? { rule } : {}),
  });
}

function resolveTarget(config: AccessConfig, ask: OnePartAsk, refuse: Refuse): Target | Refused {
  const account = resolveAccount(config, ask.account);
  const managementId = config.identityCenter.managementAccountId;
  if (managementId !== undefined && (ask.account.trim() === managementId || account?.id === managementId)) {
    return refuse(
      "management-account",
      `${backticked(ask.account)} is the management account: ${MANAGEMENT_ACCOUNT_REASON}.`,
    );
  }
  if (!account) {
    const hint = didYouMean(ask.account, Object.keys(config.accounts), "known accounts");
    return refuse("unknown-account", `There is no account ${backticked(ask.account)} (${hint}).`);
  }
  const permissionSet = resolvePermissionSet(config, ask.permissionSet);
  if (!permissionSet) {
    const hint = didYouMean(ask.permissionSet, Object.keys(config.permissionSets), "known permission sets");
    return refuse(
      "unknown-permission-set",
      `There is no permission set ${backticked(ask.permissionSet)} (${hint}).`,
    );
  }
  const what = `${backticked(permissionSet.name)} in ${backticked(account.alias)}`;
  return { ok: true, account, permissionSet, what };
}

/** The first rule covering the target that lets the requester in; else who the covering rules let in. */
function eligibleRule(
  config: AccessConfig,
  requester: Actor,
  { account, permissionSet, what }: Target,
  refuse: Refuse,
): { ok: true; rule: Rule } | Refused {
  const covering = config.rules.filter((r) => covers(config, r, account.id, permissionSet.arn));
  const rule = covering.find((r) => isEligible(r, requester));
  if (rule) return { ok: true, rule };
  if (covering.length === 0) return refuse("no-rule", `No rule allows requesting ${what}.`);
  const who: Principals = {
    groups: [...new Set(covering.flatMap((r) => r.requesters?.groups ?? []))],
    emails: [...new Set(covering.flatMap((r) => r.requesters?.emails ?? []))],
  };
  const names = covering.map((r) => backticked(r.name)).join(", ");
  return refuse(
    "not-eligible",
    `You may not request ${what}: ${covering.length > 1 ? "rules" : "rule"} ${names} ${covering.length > 1 ? "allow" : "allows"} it only for ${describePrincipals(who)}.`,
    covering[0]?.name,
  );
}

/** The duration asked for within the rule's maximum and the config's minimum, or the default up to the maximum. */
function decideDuration(
  config: AccessConfig,
  ask: OnePartAsk,
  { account, permissionSet, what }: Target,
  rule: Rule,
  refuse: Refuse,
): Approved | Refused {
  const max = rule.maxDurationSeconds;
  const min = config.defaults.minDurationSeconds;
  const asked = ask.durationSeconds;
  if (asked !== undefined && asked > max) {
    return refuse(
      "too-long",
      `${backticked(formatDuration(asked))} is longer than the ${backticked(formatDuration(max))} maximum for ${what} (rule ${backticked(rule.name)}).`,
      rule.name,
      `Ask for ${backticked(formatDuration(max))} or less.`,
    );
  }
  if (asked !== undefined && asked < min) {
    return refuse(
      "too-short",
      `${backticked(formatDuration(asked))} is shorter than the ${backticked(formatDuration(min))} minimum.`,
      rule.name,
      `Ask for ${backticked(formatDuration(min))} or more.`,
    );
  }
  const durationSeconds = asked ?? Math.min(config.defaults.durationSeconds, max);
  return {
    ok: true,
    rule,
    account,
    permissionSet,
    durationSeconds,
    autoApprove: rule.autoApprove,
    approvalsRequired: rule.approvalsRequired,
    allowSelfApproval: rule.allowSelfApproval,
    explanation: explain(
      rule,
      what,
      durationSeconds,
      asked === undefined ? config.defaults.durationSeconds : undefined,
    ),
  };
}

function didYouMean(word: string, names: readonly string[], known: string): string {
  const near = closest(word, names);
  return near ? `did you mean ${backticked(near)}?` : `${known}: ${backtickedAll(names)}`;
}

function explain(rule: Rule, what: string, seconds: number, defaultSeconds: number | undefined): string {
  const duration = backticked(formatDuration(seconds));
  const defaulted =
    defaultSeconds === undefined
      ? ""
      : defaultSeconds > seconds
        ? ` (no duration given: the default ${backticked(formatDuration(defaultSeconds))} is longer than the rule's maximum, so the maximum)`
        : " (no duration given: the default)";
  const decision = rule.autoApprove
    ? "Granted at once, without approval."
    : `Needs ${plural(rule.approvalsRequired, "approval")} from ${describePrincipals(rule.approvers)}${rule.allowSelfApproval ? "" : ", not counting the requester"}.`;
  return `Rule ${backticked(rule.name)} allows ${what} for ${duration}${defaulted}. ${decision}`;
}
