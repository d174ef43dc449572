import type { AuditEvent, Grant } from "../../../domain/grant.js";
import { escapeText } from "../escape.js";
import type { SlackMessage } from "./blocks.js";
import { textMessage } from "./blocks.js";
import { accessLabel, grantRef, mention } from "./format.js";

/** One line in the audit channel: what happened to which grant, by whom, and why. */
export function auditLine(grant: Grant, event: AuditEvent): SlackMessage {
  const reason = event.reason ? `: ${escapeText(event.reason)}` : "";
  return textMessage(
    `${grantRef(grant)} *${escapeText(event.type)}* by ${mention(event.actor)}; ${accessLabel(grant)} for ${mention(grant.requester.slackId)}${reason}`,
  );
}
