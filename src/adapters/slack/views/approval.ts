import type { Grant } from "../../../domain/grant.js";
import { blockQuote, code, escapeText } from "../escape.js";
import { type Block, context, fields, message, type SlackMessage, section } from "./blocks.js";
import {
  accessLabel,
  accountLabel,
  approvalCount,
  autoApproved,
  durationLabel,
  grantRef,
  mention,
  relative,
  slackDate,
} from "./format.js";
import { requestDecisionButtons, revokeButton } from "./grant-buttons.js";
import { firstOf } from "./limits.js";

/** Approvers named one by one in the decision line; more are counted. */
const NAMED_APPROVERS = 10;

/** The approval request in the channel: buttons only while pending, otherwise the outcome and who decided. */
export function approvalMessage(grant: Grant, now: number): SlackMessage {
  const blocks: Block[] = [
    section(`:key: Access request ${grantRef(grant)} from ${mention(grant.requester.slackId)}`),
    fields([
      ["Account", accountLabel(grant)],
      ["Permission set", escapeText(grant.permissionSet.name)],
      ["Duration", durationLabel(grant)],
      ["Rule", code(grant.rule)],
      ...startField(grant),
    ]),
    section(`*Reason*\n${blockQuote(grant.reason)}`),
    section(`*Status*\n${statusLine(grant, now)}`),
  ];
  if (grant.status === "pending") blocks.push(requestDecisionButtons(grant));
  // Approvers (and the requester) may end it early from here; the click is authorised on the server.
  if (grant.status === "active") blocks.push({ type: "actions", elements: [revokeButton(grant, "Revoke")] });
  const decision = decisionLine(grant);
  if (decision) blocks.push(context(decision));
  const text = `Access request ${grantRef(grant)}: ${mention(grant.requester.slackId)} asks for ${accessLabel(grant)} for ${durationLabel(grant)}`;
  return message(text, blocks);
}

/** Where the grant stands, in one line. */
export function statusLine(grant: Grant, now: number): string {
  switch (grant.status) {
    case "pending":
      return `:hourglass_flowing_sand: Waiting for approval: ${approvalCount(grant)} (times out ${slackDate(grant.timeoutAt)})`;
    case "provisioning":
      return grant.startsAt !== undefined && grant.startsAt > now
        ? `:calendar: Approved; starts ${slackDate(grant.startsAt)} (${relative(grant.startsAt, now)})`
        : ":gear: Approved; granting access";
    case "active":
      return grant.expiresAt
        ? `:white_check_mark: Active until ${slackDate(grant.expiresAt)} (${relative(grant.expiresAt, now)})`
        : ":white_check_mark: Active";
    case "revoking":
      return ":hourglass: Ending; removing access";
    case "ended":
      return `:checkered_flag: Ended${grant.endedAt ? ` ${slackDate(grant.endedAt)}` : ""}${reasonSuffix(grant)}`;
    case "denied":
      return `:no_entry: Denied${reasonSuffix(grant)}`;
    case "cancelled":
      return `:heavy_multiplication_x: Cancelled${reasonSuffix(grant)}`;
    case "timed-out":
      return ":alarm_clock: Timed out: nobody decided in time";
    case "failed":
      return `:x: Failed${reasonSuffix(grant)}`;
  }
}

/** A scheduled start, shown in each reader's own time zone. */
export function startField(grant: Pick<Grant, "startsAt">): Array<[string, string]> {
  return grant.startsAt === undefined ? [] : [["Starts", slackDate(grant.startsAt)]];
}

function reasonSuffix(grant: Grant): string {
  return grant.outcomeReason ? `: ${escapeText(grant.outcomeReason)}` : "";
}

/** Who decided and when; undefined while nobody has. */
function decisionLine(grant: Grant): string | undefined {
  if (grant.status === "pending") {
    return grant.approvals.length > 0 ? `Approved so far by ${approvers(grant)}` : undefined;
  }
  if (grant.status === "denied") {
    return `Denied by ${mention(grant.decidedBy)}${at(grant.decidedAt)}`;
  }
  if (grant.status === "timed-out" || grant.status === "cancelled") {
    return grant.decidedAt ? `Closed${at(grant.decidedAt)}` : undefined;
  }
  if (autoApproved(grant)) {
    return `Approved automatically by rule ${code(grant.rule)}${at(grant.decidedAt ?? grant.createdAt)}`;
  }
  return grant.approvals.length > 0 ? `Approved by ${approvers(grant)}${at(grant.decidedAt)}` : undefined;
}

function approvers(grant: Grant): string {
  return firstOf(
    grant.approvals.map((approval) => mention(approval.slackId)),
    NAMED_APPROVERS,
  );
}

function at(ms: number | undefined): string {
  return ms === undefined ? "" : ` ${slackDate(ms)}`;
}
