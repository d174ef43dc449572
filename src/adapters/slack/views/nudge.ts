import type { Mentions } from "../../../app/ports.js";
import { formatDuration } from "../../../domain/duration.js";
import type { Grant } from "../../../domain/grant.js";
import { code } from "../escape.js";
import { message, type SlackMessage, section } from "./blocks.js";
import { approvalCount, grantRef, mention, slackDate } from "./format.js";

/** The one reply in a pending request's thread that reminds its approvers. */
export function nudgeMessage(grant: Grant, approvers: Mentions, now: number): SlackMessage {
  const waited = formatDuration(Math.max(60, (now - grant.createdAt) / 1000));
  const names = approvers.slackIds.map((id) => mention(id)).join(" ");
  const more = approvers.more ? ` and others of rule ${code(grant.rule)}` : "";
  const who = names ? `${names}${more}: ` : `Approvers of rule ${code(grant.rule)}: `;
  const text = `:bell: ${who}request ${grantRef(grant)} from ${mention(grant.requester.slackId)} has waited ${waited} (${approvalCount(grant)}). Approve or deny it above; it times out ${slackDate(grant.timeoutAt)}.`;
  return message(text, [section(text)]);
}
