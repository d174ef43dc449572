import type { types } from "@slack/bolt";
import type { Grant, GrantStatus } from "../../../domain/grant.js";
import { ACTIONS } from "../action-ids.js";
import { blockQuote, code, escapeText } from "../escape.js";
import { startField, statusLine } from "./approval.js";
import {
  type Block,
  button,
  context,
  fields,
  message,
  type SlackMessage,
  section,
  sections,
} from "./blocks.js";
import { confirmDialog, confirmedButton } from "./confirm.js";
import { accessLabel, approvalCount, durationLabel, grantRef, mention, slackDate } from "./format.js";
import { revokeButton } from "./grant-buttons.js";
import { clip, firstOf, SLACK_LIMITS } from "./limits.js";

/** Approvers named one by one in the decision line; more are counted. */
const NAMED_APPROVERS = 10;

/**
 * The one approval message of a request of several parts: every part with its own rule and status, one Approve and
 * one Deny for all of them (their value is the first part's id; the server decides the whole request), and a Revoke
 * for each part that is active.
 */
export function requestMessage(parts: readonly Grant[], now: number): SlackMessage {
  const lead = parts[0] as Grant;
  const ref = code(lead.requestId ?? lead.id);
  const who = mention(lead.requester.slackId);
  const lines = parts.map(
    (part) => `• ${grantRef(part)} ${accessLabel(part)}, rule ${code(part.rule)}: ${partStatus(part, now)}`,
  );
  const blocks: Block[] = [
    section(`:key: Access request ${ref} from ${who}: ${parts.length} parts, decided together`),
    fields([["Duration", durationLabel(lead)], ...startField(lead)]),
    section(`*Reason*\n${blockQuote(lead.reason)}`),
    ...sections([`*Parts*`, ...lines]),
    section(`*Status*\n${requestStatus(parts, now)}`),
  ];
  if (parts.some((part) => part.status === "pending")) {
    const what = parts.map((part) => accessLabel(part)).join(", ");
    const approve = confirmedButton(
      "Approve",
      ACTIONS.approve,
      lead.id,
      confirmDialog(
        "Approve the request?",
        `${who} gets ${what} for ${durationLabel(lead)}, for every part you may approve.`,
        "Approve",
        "primary",
      ),
      "primary",
    );
    blocks.push({ type: "actions", elements: [approve, button("Deny", ACTIONS.deny, lead.id, "danger")] });
  }
  const active = parts.filter((part) => part.status === "active");
  if (active.length > 0) {
    const revokes: types.Button[] = active
      .slice(0, SLACK_LIMITS.actionsElements)
      .map((part) =>
        revokeButton(
          part,
          clip(`Revoke ${part.permissionSet.name} on ${part.account.alias}`, SLACK_LIMITS.buttonText),
        ),
      );
    blocks.push({ type: "actions", elements: revokes });
  }
  const decision = decisionLine(parts);
  if (decision) blocks.push(context(decision));
  const asked = parts.map((part) => accessLabel(part)).join(", ");
  return message(`Access request ${ref}: ${who} asks for ${asked} for ${durationLabel(lead)}`, blocks);
}

/** Where one part stands: its approvals while pending, else its own status line. */
function partStatus(part: Grant, now: number): string {
  if (part.status !== "pending") return statusLine(part, now);
  return part.approvalsRequired === 0 ? "no approval needed" : approvalCount(part);
}

/** Where the request stands as a whole. */
function requestStatus(parts: readonly Grant[], now: number): string {
  const lead = parts[0] as Grant;
  const statuses = new Set(parts.map((part) => part.status));
  if (statuses.size === 1) {
    if (lead.status !== "pending") return statusLine(lead, now);
    const approved = parts.filter((part) => approvalsMet(part)).length;
    return `:hourglass_flowing_sand: Waiting for approval: ${approved} of ${parts.length} parts have theirs (times out ${slackDate(lead.timeoutAt)})`;
  }
  const counts = new Map<GrantStatus, number>();
  for (const part of parts) counts.set(part.status, (counts.get(part.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${escapeText(status)}`).join(", ");
}

function approvalsMet(part: Grant): boolean {
  const people = new Set(part.approvals.map((a) => (a.email ? a.email.toLowerCase() : a.slackId)));
  return people.size >= part.approvalsRequired;
}

/** Who decided and when; undefined while nobody has. */
function decisionLine(parts: readonly Grant[]): string | undefined {
  const lead = parts[0] as Grant;
  const approvers = [...new Set(parts.flatMap((part) => part.approvals.map((a) => a.slackId)))].map((id) =>
    mention(id),
  );
  const at = lead.decidedAt === undefined ? "" : ` ${slackDate(lead.decidedAt)}`;
  if (lead.status === "denied") return `Denied by ${mention(lead.decidedBy)}${at}`;
  if (lead.status === "cancelled" || lead.status === "timed-out")
    return lead.decidedAt ? `Closed${at}` : undefined;
  if (approvers.length === 0) {
    return parts.every((part) => part.status === "pending") ? undefined : `Approved automatically${at}`;
  }
  const named = firstOf(approvers, NAMED_APPROVERS);
  return parts.some((part) => part.status === "pending")
    ? `Approved so far by ${named}`
    : `Approved by ${named}${at}`;
}
