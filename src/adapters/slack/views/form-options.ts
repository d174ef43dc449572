import type { types } from "@slack/bolt";
import type { AccessConfig } from "../../../domain/config.js";
import { formatDuration } from "../../../domain/duration.js";
import type { Offer } from "../../../domain/policy.js";
import { plain } from "./blocks.js";
import { SLACK_LIMITS } from "./limits.js";

/** Past this many accounts or permission sets (Slack's cap on a static select) the form switches to typeahead. */
export const STATIC_OPTIONS_LIMIT = SLACK_LIMITS.selectOptions;

/** The request form's accounts: each offered one, with its limit and whether it needs approval. */
export function accountOptions(offers: readonly Offer[], config: AccessConfig): types.PlainTextOption[] {
  const byAccount = group(offers, (offer) => [offer.account]);
  return [...byAccount].flatMap(([alias, offered]) => {
    const name = config.accounts[alias]?.name;
    const label = name && name !== alias ? `${alias} (${name})` : alias;
    return option(`${label} · ${limits(offered)}`, alias);
  });
}

/** The request form's permission sets: each offered in some account, with its limits there. */
export function permissionSetOptions(offers: readonly Offer[]): types.PlainTextOption[] {
  const bySet = group(offers, (offer) => offer.permissionSets);
  return [...bySet].flatMap(([name, offered]) => option(`${name} · ${limits(offered)}`, name));
}

/** The options whose label or value contains what was typed (any case), at most as many as Slack shows. */
export function matching(options: readonly types.PlainTextOption[], typed: string): types.PlainTextOption[] {
  const wanted = typed.trim().toLowerCase();
  const found = wanted
    ? options.filter(
        (o) => o.text.text.toLowerCase().includes(wanted) || (o.value ?? "").toLowerCase().includes(wanted),
      )
    : options;
  return found.slice(0, STATIC_OPTIONS_LIMIT);
}

/** `up to 4h, needs approval`; a range and "some need approval" when the offers differ. */
function limits(offers: readonly Offer[]): string {
  const maxima = offers.map((offer) => offer.maxDurationSeconds);
  const low = Math.min(...maxima);
  const high = Math.max(...maxima);
  const upTo =
    low === high ? `up to ${formatDuration(high)}` : `up to ${formatDuration(low)}–${formatDuration(high)}`;
  const auto = offers.filter((offer) => offer.autoApprove).length;
  const approval =
    auto === offers.length ? "granted at once" : auto === 0 ? "needs approval" : "some need approval";
  return `${upTo}, ${approval}`;
}

function group(offers: readonly Offer[], keys: (offer: Offer) => readonly string[]): Map<string, Offer[]> {
  const groups = new Map<string, Offer[]>();
  for (const offer of offers) {
    for (const key of keys(offer)) groups.set(key, [...(groups.get(key) ?? []), offer]);
  }
  return groups;
}

/** An option; none when its value is too long for Slack to carry. */
function option(label: string, value: string): types.PlainTextOption[] {
  if (value.length > SLACK_LIMITS.optionValue) return [];
  return [{ text: plain(label, SLACK_LIMITS.optionText), value }];
}
