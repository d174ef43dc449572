import type { types } from "@slack/bolt";
import { formatDuration } from "../../../domain/duration.js";
import type { Grant } from "../../../domain/grant.js";
import { ACTIONS } from "../action-ids.js";
import { extendValue, extensionValue } from "../button-values.js";
import { code } from "../escape.js";
import { button } from "./blocks.js";
import { confirmDialog, confirmedButton } from "./confirm.js";
import { accessLabel, durationLabel, grantRef, mention } from "./format.js";

/** Revoke with Slack's confirm dialog; the click is authorised on the server like every other. */
export function revokeButton(grant: Grant, text: string): types.Button {
  const dialog = confirmDialog(
    "Revoke access?",
    `${accessLabel(grant)} for ${mention(grant.requester.slackId)} ends now (${grantRef(grant)}).`,
    "Revoke",
    "danger",
  );
  return confirmedButton(text, ACTIONS.revoke, grant.id, dialog, "danger");
}

/** Extend by a fixed step, with Slack's confirm dialog. */
export function extendButton(grant: Grant, seconds: number): types.Button {
  const more = code(formatDuration(seconds));
  const dialog = confirmDialog(
    "Extend access?",
    `Asks for ${more} more on ${grantRef(grant)}; where its rule needs approval, its approvers decide.`,
    `Extend by ${formatDuration(seconds)}`,
    "primary",
  );
  return confirmedButton(
    `Extend ${formatDuration(seconds)}`,
    ACTIONS.extend,
    extendValue(grant.id, seconds),
    dialog,
  );
}

/** Approve (with Slack's confirm dialog) and Deny on a pending request, in the channel and on the Home tab. */
export function requestDecisionButtons(grant: Grant): types.ActionsBlock {
  const dialog = confirmDialog(
    "Approve the request?",
    `${mention(grant.requester.slackId)} gets ${accessLabel(grant)} for ${durationLabel(grant)}.`,
    "Approve",
    "primary",
  );
  return {
    type: "actions",
    elements: [
      confirmedButton("Approve", ACTIONS.approve, grant.id, dialog, "primary"),
      button("Deny", ACTIONS.deny, grant.id, "danger"),
    ],
  };
}

/** Approve and Deny on a waiting extension of `more`, each with Slack's confirm dialog. */
export function extensionDecisionButtons(
  grant: Grant,
  extensionId: string,
  more: string,
): types.ActionsBlock {
  const value = extensionValue(grant.id, extensionId);
  const approve = confirmDialog(
    "Approve the extension?",
    `${grantRef(grant)} gets ${more} more once enough approvers agree.`,
    "Approve",
    "primary",
  );
  const deny = confirmDialog(
    "Deny the extension?",
    `${grantRef(grant)} keeps its current expiry.`,
    "Deny",
    "danger",
  );
  return {
    type: "actions",
    elements: [
      confirmedButton("Approve extension", ACTIONS.approveExtension, value, approve, "primary"),
      confirmedButton("Deny", ACTIONS.denyExtension, value, deny, "danger"),
    ],
  };
}
