import type { types } from "@slack/bolt";
import type { ModalPrefill } from "../../../app/results.js";
import type { AccessConfig } from "../../../domain/config.js";
import { formatDuration } from "../../../domain/duration.js";
import { MAX_REASON_LENGTH } from "../../../domain/grammar.js";
import { DENY_FIELDS, REQUEST_FIELDS, VIEWS } from "../action-ids.js";
import { code } from "../escape.js";
import { context, type ModalView, plain, section } from "./blocks.js";
import { clip, SLACK_LIMITS } from "./limits.js";

/** Where a modal opened from a command should report back. */
export interface RequestModalContext {
  channel?: string;
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,30}$/;

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
        maxLength: MAX_REASON_LENGTH,
      }),
    ),
    context("Approvers see the reason in the approval channel."),
  );
  const channel = meta.channel && CHANNEL_ID.test(meta.channel) ? { channel: meta.channel } : {};
  return modal({
    type: "modal",
    callback_id: VIEWS.request,
    title: plain("Request AWS access"),
    submit: plain("Request"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify(channel),
    blocks,
  });
}

/** Asks the approver why they deny; the grant id travels in private_metadata. */
export function denyReasonModal(grantId: string): ModalView {
  return modal({
    type: "modal",
    callback_id: VIEWS.denyReason,
    title: plain("Deny request"),
    submit: plain("Deny"),
    close: plain("Cancel"),
    private_metadata: grantId.length <= SLACK_LIMITS.privateMetadata ? grantId : "",
    blocks: [
      section(`Deny request ${code(grantId)}? The requester sees your reason.`),
      input(
        DENY_FIELDS.reason.block,
        "Reason",
        text(DENY_FIELDS.reason.action, {
          placeholder: "Optional",
          multiline: true,
          maxLength: MAX_REASON_LENGTH,
        }),
        true,
      ),
    ],
  });
}

/** A modal that only says how something went (already escaped mrkdwn). */
export function resultModal(title: string, mrkdwn: string): ModalView {
  return modal({
    type: "modal",
    callback_id: VIEWS.result,
    title: plain(title),
    close: plain("Close"),
    blocks: [section(mrkdwn)],
  });
}

/** A modal inside Slack's limits: short title and buttons, at most 100 blocks. */
function modal(view: ModalView): ModalView {
  const short = (text: types.PlainTextElement | undefined) =>
    text ? { ...text, text: clip(text.text, SLACK_LIMITS.modalButton) } : undefined;
  const submit = short(view.submit);
  const close = short(view.close);
  return {
    ...view,
    title: { ...view.title, text: clip(view.title.text, SLACK_LIMITS.modalTitle) },
    ...(submit ? { submit } : {}),
    ...(close ? { close } : {}),
    blocks: view.blocks.slice(0, SLACK_LIMITS.modalBlocks),
  };
}

/** An option for a static select; undefined when its value is too long for Slack to carry. */
function option(label: string, value: string): types.PlainTextOption | undefined {
  if (value.length > SLACK_LIMITS.optionValue) return undefined;
  return { text: plain(label, SLACK_LIMITS.optionText), value };
}

function select(
  actionId: string,
  placeholder: string,
  options: Array<types.PlainTextOption | undefined>,
  initial: string | undefined,
): types.StaticSelect {
  const shown = options
    .filter((o): o is types.PlainTextOption => o !== undefined)
    .slice(0, SLACK_LIMITS.selectOptions);
  const chosen = initial ? shown.find((o) => o.value?.toLowerCase() === initial.toLowerCase()) : undefined;
  return {
    type: "static_select",
    action_id: actionId,
    placeholder: plain(placeholder, SLACK_LIMITS.placeholder),
    options: shown,
    ...(chosen ? { initial_option: chosen } : {}),
  };
}

function text(
  actionId: string,
  options: { placeholder: string; initial?: string | undefined; multiline?: boolean; maxLength?: number },
): types.PlainTextInput {
  const max = options.maxLength ?? SLACK_LIMITS.inputMaxLength;
  return {
    type: "plain_text_input",
    action_id: actionId,
    placeholder: plain(options.placeholder, SLACK_LIMITS.placeholder),
    multiline: options.multiline ?? false,
    ...(options.maxLength ? { max_length: options.maxLength } : {}),
    ...(options.initial ? { initial_value: within(options.initial, max) } : {}),
  };
}

/** Plain input text (not escaped: Slack shows an input's value as typed) cut to `max` without splitting a pair. */
function within(value: string, max: number): string {
  if (value.length <= max) return value;
  const end = value.charCodeAt(max - 1) >= 0xd800 && value.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max;
  return value.slice(0, end);
}

function input(
  blockId: string,
  label: string,
  element: types.InputBlockElement,
  optional = false,
): types.InputBlock {
  return {
    type: "input",
    block_id: blockId,
    label: plain(label, SLACK_LIMITS.inputLabel),
    element,
    optional,
  };
}
