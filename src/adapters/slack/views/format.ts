import { DateTime } from "luxon";
import { formatDuration } from "../../../domain/duration.js";
import { type Grant, SYSTEM_ACTOR } from "../../../domain/grant.js";
import { code, escapeText } from "../escape.js";

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;

/** A Slack user id as a mention; anything else (the bot itself, a malformed id) as escaped text. */
export function mention(actor: string | undefined): string {
  if (!actor || actor === SYSTEM_ACTOR) return "the bot";
  return SLACK_USER.test(actor) ? `<@${actor}>` : escapeText(actor);
}

/** A channel id as a link; anything else escaped. */
export function channelLink(channel: string): string {
  return SLACK_CHANNEL.test(channel) ? `<#${channel}>` : escapeText(channel);
}

/** Grant ids are always shown in backticks. */
export function grantRef(grant: Pick<Grant, "id">): string {
  return code(grant.id);
}

/** "Production (prod, 222222222222)" with every part escaped. */
export function accountLabel(grant: Pick<Grant, "account">): string {
  const { alias, name, id } = grant.account;
  return name && name !== alias
    ? `${escapeText(name)} (${escapeText(alias)}, ${escapeText(id)})`
    : `${escapeText(alias)} (${escapeText(id)})`;
}

/** "ReadOnly on Production (prod, 222222222222)". */
export function accessLabel(grant: Pick<Grant, "account" | "permissionSet">): string {
  return `*${escapeText(grant.permissionSet.name)}* on ${accountLabel(grant)}`;
}

/** A time every viewer sees in their own time zone (Slack date token), with a UTC fallback. */
export function slackDate(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const fallback = DateTime.fromMillis(ms, { zone: "utc" }).toFormat("yyyy-LL-dd HH:mm 'UTC'");
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

/** "in 4h" or "4h ago", to the minute. */
export function relative(ms: number, now: number): string {
  const span = formatDuration(Math.abs(ms - now) / 1000);
  return ms >= now ? `in ${span}` : `${span} ago`;
}

/** "17:30 CET (in 4h)" in the given IANA zone, with the date when it is not today there; UTC if unknown. */
export function localTime(ms: number, tz: string | undefined, now: number): string {
  let at = DateTime.fromMillis(ms, { zone: tz ?? "utc" });
  if (!at.isValid) at = DateTime.fromMillis(ms, { zone: "utc" });
  const today = DateTime.fromMillis(now, { zone: at.zone });
  const clock = at.hasSame(today, "day") ? "HH:mm" : "ccc d LLL HH:mm";
  return `${escapeText(`${at.setLocale("en-GB").toFormat(clock)} ${zoneName(at)}`)} (${relative(ms, now)})`;
}

/** The zone's usual abbreviation (CET, EST) where one locale knows it, else the offset (GMT+5:30). */
function zoneName(at: DateTime): string {
  const names = ZONE_LOCALES.map((locale) => at.setLocale(locale).toFormat("ZZZZ"));
  return names.find((name) => !/^GMT[+-]/.test(name)) ?? names[0] ?? at.toFormat("ZZ");
}

const ZONE_LOCALES = ["en-US", "en-GB"];

/** "1 of 2 approvals". */
export function approvalCount(grant: Pick<Grant, "approvals" | "approvalsRequired">): string {
  return `${grant.approvals.length} of ${grant.approvalsRequired} approval${grant.approvalsRequired === 1 ? "" : "s"}`;
}

/** The granted duration as users type it. */
export function durationLabel(grant: Pick<Grant, "durationSeconds">): string {
  return formatDuration(grant.durationSeconds);
}

/** Approved without anyone clicking: by the rule's autoApprove. */
export function autoApproved(grant: Grant): boolean {
  const decided = !["pending", "denied", "cancelled", "timed-out"].includes(grant.status);
  return decided && grant.approvals.length === 0 && (!grant.decidedBy || grant.decidedBy === SYSTEM_ACTOR);
}
