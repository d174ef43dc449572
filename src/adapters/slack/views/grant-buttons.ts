import type { types } from "@slack/bolt";
import { formatDuration } from "../../../domain/duration.js";
import type { Grant } from "../../../domain/grant.js";
import { ACTIONS } from "../action-ids.js";
import { extendValue } from "../button-values.js";
import { code } from "../escape.js";
import { confirmDialog, confirmedButton } from "./confirm.js";
import { accessLabel, grantRef, mention } from "./format.js";

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
