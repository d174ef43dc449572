import type { types } from "@slack/bolt";
import type { ModalPrefill } from "../../../app/results.js";
import type { AccessConfig } from "../../../domain/config.js";
import { formatDuration } from "../../../domain/duration.js";
import { DENY_FIELDS, REQUEST_FIELDS, VIEWS } from "../action-ids.js";
import { escapeText } from "../escape.js";
import { context, type ModalView, plain, section } from "./blocks.js";

/** Slack caps a static select at 100 options and a plain text input's initial value at 3000 characters. */
const MAX_OPTIONS = 100;
const MAX_INITIAL = 3000;

/** Where a modal opened from a command should report back. */
export interface RequestModalContext {
  channel?: string;
}

/** The request form, pre-filled with whatever the command already said; `problem` is shown on top. */
export function requestModal(
  prefill: ModalPrefill,
  config: AccessConfig,
  meta: RequestModalContext = {},
  problem?: string,
): ModalView {
  const accounts = Object.entries(config.accounts).map(([alias, account]) =>
    option(account.name && account.name !== alias ? `${alias} (${account.name})` : alias, alias),
  );
  const sets = Object.keys(config.permissionSets).map((name) => option(name, name));
  const blocks: types.KnownBlock[] = [];
  if (problem) blocks.push(section(`:warning: ${problem}`));
  blocks.push(
    input(
      REQUEST_FIELDS.account.block,
      "Account",
      select(REQUEST_FIELDS.account.action, "Choose an account", accounts, prefill.account),
    ),
    input(
      REQUEST_FIELDS.permissionSet.block,
      "Permission set",
      select(REQUEST_FIELDS.permissionSet.action, "Choose a permission set", sets, prefill.permissionSet),
    ),
    input(
      REQUEST_FIELDS.duration.block,
      "Duration",
      text(REQUEST_FIELDS.duration.action, {
        placeholder: `${formatDuration(config.defaults.durationSeconds)} if left empty (30m, 4h, 1h30m, PT4H)`,
        initial: prefill.durationSeconds ? formatDuration(prefill.durationSeconds) : undefined,
      }),
      true,
    ),
    input(
      REQUEST_FIELDS.reason.block,
      "Reason",
      text(REQUEST_FIELDS.reason.action, {
        placeholder: "What you need it for, e.g. INC-123",
        initial: prefill.reason,
        multiline: true,
      }),
    ),
    context("Approvers see the reason in the approval channel."),
  );
  return {
    type: "modal",
    callback_id: VIEWS.request,
    title: plain("Request AWS access"),
    submit: plain("Request"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify(meta),
    blocks,
  };
}

/** Asks the approver why they deny; the grant id travels in private_metadata. */
export function denyReasonModal(grantId: string): ModalView {
  return {
    type: "modal",
    callback_id: VIEWS.denyReason,
    title: plain("Deny request"),
    submit: plain("Deny"),
    close: plain("Cancel"),
    private_metadata: grantId,
    blocks: [
      section(`Deny request \`${escapeText(grantId)}\`? The requester sees your reason.`),
      input(
        DENY_FIELDS.reason.block,
        "Reason",
        text(DENY_FIELDS.reason.action, { placeholder: "Optional", multiline: true }),
        true,
      ),
    ],
  };
}

/** A modal that only says how something went (already escaped mrkdwn). */
export function resultModal(title: string, mrkdwn: string): ModalView {
  return {
    type: "modal",
    callback_id: VIEWS.result,
    title: plain(title),
    close: plain("Close"),
    blocks: [section(mrkdwn)],
  };
}

function option(label: string, value: string): types.PlainTextOption {
  return { text: plain(label.slice(0, 75)), value };
}

function select(
  actionId: string,
  placeholder: string,
  options: types.PlainTextOption[],
  initial: string | undefined,
): types.StaticSelect {
  const shown = options.slice(0, MAX_OPTIONS);
  const chosen = initial ? shown.find((o) => o.value?.toLowerCase() === initial.toLowerCase()) : undefined;
  return {
    type: "static_select",
    action_id: actionId,
    placeholder: plain(placeholder),
    options: shown,
    ...(chosen ? { initial_option: chosen } : {}),
  };
}

function text(
  actionId: string,
  options: { placeholder: string; initial?: string | undefined; multiline?: boolean },
): types.PlainTextInput {
  return {
    type: "plain_text_input",
    action_id: actionId,
    placeholder: plain(options.placeholder),
    multiline: options.multiline ?? false,
    ...(options.initial ? { initial_value: options.initial.slice(0, MAX_INITIAL) } : {}),
  };
}

function input(
  blockId: string,
  label: string,
  element: types.InputBlockElement,
  optional = false,
): types.InputBlock {
  return { type: "input", block_id: blockId, label: plain(label), element, optional };
}
