import type { types } from "@slack/bolt";
import { button, plain } from "./blocks.js";
import { clip, SLACK_LIMITS } from "./limits.js";

/** Slack's own "Are you sure?" before a button acts; `text` is escaped mrkdwn. */
export function confirmDialog(
  title: string,
  text: string,
  confirm: string,
  style?: "primary" | "danger",
): types.ConfirmationDialog {
  return {
    title: plain(title, SLACK_LIMITS.confirmTitle),
    text: { type: "mrkdwn", text: clip(text, SLACK_LIMITS.confirmText) },
    confirm: plain(confirm, SLACK_LIMITS.confirmButton),
    deny: plain("Cancel", SLACK_LIMITS.confirmButton),
    ...(style ? { style } : {}),
  };
}

/** A button that asks Slack's confirm dialog first. */
export function confirmedButton(
  text: string,
  actionId: string,
  value: string,
  dialog: types.ConfirmationDialog,
  style?: "primary" | "danger",
): types.Button {
  return { ...button(text, actionId, value, style), confirm: dialog };
}
