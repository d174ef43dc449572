import type { CommandResult } from "../../../app/results.js";
import type { AccessConfig } from "../../../domain/config.js";
import { formatDuration } from "../../../domain/duration.js";
import { USAGE } from "../../../domain/grammar.js";
import type { Grant } from "../../../domain/grant.js";
import type { Offer } from "../../../domain/policy.js";
import { code, escapeText } from "../escape.js";
import { statusLine } from "./approval.js";
import { context, message, type SlackMessage, section, sections, textMessage } from "./blocks.js";
import { extendedReply } from "./button-replies.js";
import { accessLabel, approvalCount, autoApproved, grantRef, relative, slackDate } from "./format.js";

const LIST_HINT =
  "`/aws-access revoke <grant-id>` ends one early (a request id `r-…` ends all its parts); `/aws-access extend <grant-id> <duration>` asks for more time.";

const LISTED: ReadonlyArray<Grant["status"]> = ["pending", "provisioning", "active", "revoking"];

/** Sections of grants in a list reply, leaving room for the hint under a message's 50 blocks. */
const MAX_LISTED_BLOCKS = 49;

/** The ephemeral answer to a slash command, for every result except the modal (which opens a view). */
export function commandReply(
  result: Exclude<CommandResult, { kind: "modal" }>,
  config: AccessConfig,
  now: number,
): SlackMessage {
  switch (result.kind) {
    case "requested":
      return requestedReply(result.grants, now);
    case "list":
      return listReply(result.grants, now);
    case "revoked":
      return textMessage(
        `:checkered_flag: Ending ${grantRef(result.grant)} (${accessLabel(result.grant)}); you will get a message when access is removed.`,
      );
    case "revoked-request": {
      const lines = result.grants.map(
        (grant) => `• ${grantRef(grant)} ${accessLabel(grant)}: ${escapeText(grant.status)}`,
      );
      return textMessage(
        `:checkered_flag: Ending request ${code(result.requestId)}; you will get a message as each part's access is removed.\n${lines.join("\n")}`,
      );
    }
    case "extended":
      return textMessage(extendedReply(result.grant, now));
    case "extended-request":
      return textMessage(
        `Request ${code(result.requestId)}:\n${result.grants.map((grant) => `• ${extendedReply(grant, now)}`).join("\n")}`,
      );
    case "help":
      return helpReply(result.offers, config);
  }
}

/** What the requester sees right after asking: one grant, or every part of a request of several. */
export function requestedReply(grants: readonly Grant[], now: number): SlackMessage {
  const grant = grants[0] as Grant;
  const starts = grant.startsAt === undefined ? "" : ` It starts ${slackDate(grant.startsAt)}.`;
  if (grants.length > 1) return requestReply(grants, now, starts);
  const what = `${accessLabel(grant)} for ${formatDuration(grant.durationSeconds)}`;
  if (grant.status === "pending") {
    return textMessage(
      `:hourglass_flowing_sand: Request ${grantRef(grant)} for ${what} is waiting for approval (${approvalCount(grant)} needed).${starts}`,
    );
  }
  if (autoApproved(grant) && grant.status !== "failed") {
    const ready =
      grant.startsAt === undefined
        ? "you will get a message when access is ready"
        : "you will get a message when access is ready, at its start";
    return textMessage(
      `:white_check_mark: Request ${grantRef(grant)} for ${what} was approved by rule ${code(grant.rule)}; ${ready}.${starts}`,
    );
  }
  return textMessage(`Request ${grantRef(grant)} for ${what}: ${statusLine(grant, now)}${starts}`);
}

function requestReply(grants: readonly Grant[], now: number, starts: string): SlackMessage {
  const grant = grants[0] as Grant;
  const ref = code(grant.requestId ?? grant.id);
  const lines = grants.map(
    (part) => `• ${grantRef(part)} ${accessLabel(part)} (rule ${code(part.rule)}): ${partLine(part, now)}`,
  );
  const head =
    grant.status === "pending"
      ? `:hourglass_flowing_sand: Request ${ref} for ${grants.length} parts, ${formatDuration(grant.durationSeconds)} each, is waiting for approval; one decision covers every part.${starts}`
      : `:white_check_mark: Request ${ref} for ${grants.length} parts, ${formatDuration(grant.durationSeconds)} each, was approved by their rules; you will get a message as each part is ready.${starts}`;
  return message(`${head}\n${lines.join("\n")}`, sections([head, ...lines]));
}

function partLine(part: Grant, now: number): string {
  if (part.status !== "pending") return statusLine(part, now);
  return part.approvalsRequired === 0 ? "no approval needed" : `${approvalCount(part)} needed`;
}

/** The requester's pending and active grants with their ids and expiry; the parts of a request together. */
export function listReply(grants: readonly Grant[], now: number): SlackMessage {
  const open = grants.filter((grant) => LISTED.includes(grant.status));
  if (open.length === 0) {
    return textMessage(
      "You have no pending or active grants. `/aws-access help` shows what you can ask for.",
    );
  }
  const lines: string[] = [];
  const shown = new Set<string>();
  for (const grant of open) {
    const requestId = grant.requestId;
    if (requestId === undefined) {
      lines.push(`• ${grantRef(grant)} ${accessLabel(grant)}: ${listStatus(grant, now)}`);
      continue;
    }
    if (shown.has(requestId)) continue;
    shown.add(requestId);
    const parts = open.filter((part) => part.requestId === requestId);
    lines.push(
      `• Request ${code(requestId)}, ${parts.length === 1 ? "1 open part" : `${parts.length} open parts`}:`,
    );
    for (const part of parts)
      lines.push(`    ◦ ${grantRef(part)} ${accessLabel(part)}: ${listStatus(part, now)}`);
  }
  const text = `*Your grants*\n${lines.join("\n")}`;
  const blocks = sections(["*Your grants*", ...lines]);
  return message(text, [...blocks.slice(0, MAX_LISTED_BLOCKS), context(escapeText(LIST_HINT))]);
}

function listStatus(grant: Grant, now: number): string {
  switch (grant.status) {
    case "pending":
      return `pending, ${approvalCount(grant)}`;
    case "provisioning":
      return grant.startsAt !== undefined && grant.startsAt > now
        ? `approved, starts ${slackDate(grant.startsAt)} (${relative(grant.startsAt, now)})`
        : "provisioning";
    case "active":
      return grant.expiresAt
        ? `active until ${slackDate(grant.expiresAt)} (${relative(grant.expiresAt, now)})`
        : "active";
    default:
      return escapeText(grant.status);
  }
}

/** The grammar plus what this person may ask for. */
export function helpReply(offers: readonly Offer[], config: AccessConfig): SlackMessage {
  const usage = escapeText(USAGE);
  const lines = offers.map((offer) => {
    const name = accountName(offer.account, config);
    const sets = offer.permissionSets.map((set) => escapeText(set)).join(", ");
    const approval = offer.autoApprove ? "granted at once" : "needs approval";
    return `• *${escapeText(offer.account)}*${name ? ` (${escapeText(name)})` : ""}: ${sets}; up to ${formatDuration(offer.maxDurationSeconds)}, ${approval}`;
  });
  const offered =
    lines.length > 0
      ? ["*You may ask for*", ...lines]
      : ["No rule lets you ask for access yet; ask an administrator."];
  return message(`${usage}\n\n${offered.join("\n")}`, [section(usage), ...sections(offered)]);
}

function accountName(alias: string, config: AccessConfig): string | undefined {
  const key = Object.keys(config.accounts).find(
    (candidate) => candidate.toLowerCase() === alias.toLowerCase(),
  );
  return key ? config.accounts[key]?.name : undefined;
}
