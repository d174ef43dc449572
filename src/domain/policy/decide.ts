import type { AccessConfig, Principals, Rule } from "../config.js";
import { formatDuration } from "../duration.js";
import { closest } from "../suggest.js";
import {
  channelFor,
  covers,
  describePrincipals,
  isEligible,
  isManagement,
  plural,
  quote,
  quoteAll,
  resolveAccount,
  resolvePermissionSet,
} from "./lookup.js";
import {
  type Actor,
  type Approved,
  type Ask,
  MANAGEMENT_ACCOUNT_REASON,
  type Offer,
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
      `${quote(offer.account)} ${quoteAll(offer.permissionSets)} (up to ${quote(formatDuration(offer.maxDurationSeconds))}, ${offer.autoApprove ? "granted at once" : "with approval"})`,
  );
  return `You may request: ${lines.join("; ")}.`;
}

/** Decides a request against the rules: the first rule that covers it and lets the requester in decides. */
export function decideRequest(config: AccessConfig, requester: Actor, ask: Ask): Approved | Refused {
  const alternatives = offersFor(config, requester);
  const refuse = (
    code: RefusalCode,
    message: string,
    rule?: string,
    instead = describeOffers(alternatives),
  ) =>
    ({
      ok: false,
      code,
      message: `${message} ${instead}`,
      alternatives,
      ...(rule ? { rule } : {}),
    }) as Refused;
  const account = resolveAccount(config, ask.account);
  const managementId = config.identityCenter.managementAccountId;
  if (managementId !== undefined && (ask.account.trim() === managementId || account?.id === managementId)) {
    return refuse(
      "management-account",
      `${quote(ask.account)} is the management account: ${MANAGEMENT_ACCOUNT_REASON}.`,
    );
  }
  if (!account) {
    const hint = didYouMean(ask.account, Object.keys(config.accounts), "known accounts");
    return refuse("unknown-account", `There is no account ${quote(ask.account)} (${hint}).`);
  }
  const permissionSet = resolvePermissionSet(config, ask.permissionSet);
  if (!permissionSet) {
    const hint = didYouMean(ask.permissionSet, Object.keys(config.permissionSets), "known permission sets");
    return refuse(
      "unknown-permission-set",
      `There is no permission set ${quote(ask.permissionSet)} (${hint}).`,
    );
  }
  const what = `${quote(permissionSet.name)} in ${quote(account.alias)}`;
  const covering = config.rules.filter((r) => covers(config, r, account.id, permissionSet.arn));
  const rule = covering.find((r) => isEligible(r, requester));
  if (!rule) {
    if (covering.length === 0) return refuse("no-rule", `No rule allows requesting ${what}.`);
    const who: Principals = {
      groups: [...new Set(covering.flatMap((r) => r.requesters?.groups ?? []))],
      emails: [...new Set(covering.flatMap((r) => r.requesters?.emails ?? []))],
    };
    const names = covering.map((r) => quote(r.name)).join(", ");
    return refuse(
      "not-eligible",
      `You may not request ${what}: ${covering.length > 1 ? "rules" : "rule"} ${names} ${covering.length > 1 ? "allow" : "allows"} it only for ${describePrincipals(who)}.`,
      covering[0]?.name,
    );
  }
  const max = rule.maxDurationSeconds;
  const min = config.defaults.minDurationSeconds;
  const asked = ask.durationSeconds;
  if (asked !== undefined && asked > max) {
    return refuse(
      "too-long",
      `${quote(formatDuration(asked))} is longer than the ${quote(formatDuration(max))} maximum for ${what} (rule ${quote(rule.name)}).`,
      rule.name,
      `Ask for ${quote(formatDuration(max))} or less.`,
    );
  }
  if (asked !== undefined && asked < min) {
    return refuse(
      "too-short",
      `${quote(formatDuration(asked))} is shorter than the ${quote(formatDuration(min))} minimum.`,
      rule.name,
      `Ask for ${quote(formatDuration(min))} or more.`,
    );
  }
  const durationSeconds = asked ?? Math.min(config.defaults.durationSeconds, max);
  return {
    ok: true,
    rule,
    account,
    permissionSet,
    durationSeconds,
    durationDefaulted: asked === undefined,
    autoApprove: rule.autoApprove,
    approvalsRequired: rule.approvalsRequired,
    allowSelfApproval: rule.allowSelfApproval,
    channel: channelFor(config, rule),
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
  return near ? `did you mean ${quote(near)}?` : `${known}: ${quoteAll(names)}`;
}

function explain(rule: Rule, what: string, seconds: number, defaultSeconds: number | undefined): string {
  const duration = quote(formatDuration(seconds));
  const defaulted =
    defaultSeconds === undefined
      ? ""
      : defaultSeconds > seconds
        ? ` (no duration given: the default ${quote(formatDuration(defaultSeconds))} is longer than the rule's maximum, so the maximum)`
        : " (no duration given: the default)";
  const decision = rule.autoApprove
    ? "Granted at once, without approval."
    : `Needs ${plural(rule.approvalsRequired, "approval")} from ${describePrincipals(rule.approvers)}${rule.allowSelfApproval ? "" : ", not counting the requester"}.`;
  return `Rule ${quote(rule.name)} allows ${what} for ${duration}${defaulted}. ${decision}`;
}
