import type { BlockAction, ButtonAction, ViewOutput } from "@slack/bolt";
import { REQUEST_FIELDS } from "../action-ids.js";
import type { RequestModalContext } from "../views/modals.js";

/** The grant id a button carries; empty when the payload has none. */
export function buttonValue(body: BlockAction<ButtonAction>): string {
  return body.actions[0]?.value ?? "";
}

/** A text input's value, or a select's chosen value, from a submitted view. */
export function field(view: ViewOutput, ids: { block: string; action: string }): string {
  const state = view.state.values[ids.block]?.[ids.action];
  return (state?.selected_option?.value ?? state?.value ?? "").trim();
}

/** What the request form says, as typed. */
export function requestForm(view: ViewOutput): {
  account: string;
  permissionSet: string;
  duration: string;
  reason: string;
} {
  return {
    account: field(view, REQUEST_FIELDS.account),
    permissionSet: field(view, REQUEST_FIELDS.permissionSet),
    duration: field(view, REQUEST_FIELDS.duration),
    reason: field(view, REQUEST_FIELDS.reason),
  };
}

/** The request modal's private_metadata; anything unreadable counts as empty. */
export function requestContext(view: ViewOutput): RequestModalContext {
  try {
    const parsed = JSON.parse(view.private_metadata) as unknown;
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      typeof (parsed as { channel?: unknown }).channel === "string"
    ) {
      return { channel: (parsed as { channel: string }).channel };
    }
  } catch {
    return {};
  }
  return {};
}
