import type { types } from "@slack/bolt";
import type { ModalPrefill } from "../../../app/results.js";
import { MAX_PARTS } from "../../../domain/command.js";
import type { AccessConfig } from "../../../domain/config.js";
import { formatDuration, formatStart } from "../../../domain/duration.js";
import { MAX_REASON_LENGTH } from "../../../domain/grammar.js";
import { describeOffers, type Offer } from "../../../domain/policy.js";
import { DENY_FIELDS, REQUEST_FIELDS, VIEWS } from "../action-ids.js";
import { code, escapeText } from "../escape.js";
import { context, type ModalView, plain, section } from "./blocks.js";
import { accountOptions, permissionSetOptions, STATIC_OPTIONS_LIMIT } from "./form-options.js";
import { clip, SLACK_LIMITS } from "./limits.js";

/**
 * What the request form carries in its private_metadata: where it was opened from, and who it is for (their email
 * and the config's groups they are in), so the typeahead can answer from the config alone, without a lookup.
 */
export interface RequestModalContext {
  channel?: string;
  requester?: { email: string; groups: string[] };
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,30}$/;

/** Shown while the form is filled with what the requester may ask for. */
export function loadingModal(): ModalView {
  return modal({
    type: "modal",
    callback_id: VIEWS.loading,
    title: plain("Request AWS access"),
    close: plain("Cancel"),
    blocks: [section(":hourglass_flowing_sand: Looking up what you may ask for…")],
  });
}

/**
 * The request form: only what `offers` allow (each option with its limit and whether it needs approval), accounts
 * and permission sets as multi-selects (typeahead past 100 of either), pre-filled with whatever the command said;
 * `problem` is shown on top.
 */
export function requestModal(
  prefill: ModalPrefill,
  config: AccessConfig,
  offers: readonly Offer[],
  meta: RequestModalContext = {},
  problem?: string,
): ModalView {
  if (offers.length === 0) {
    return resultModal("Request AWS access", `:no_entry_sign: ${escapeText(describeOffers(offers))}`);
  }
  const blocks: types.KnownBlock[] = [];
  if (problem) blocks.push(section(`:warning: ${problem}`));
  blocks.push(
    ...whatInputs(prefill, config, offers),
    ...whenAndWhyInputs(prefill, config),
    context(
      `Approvers see the reason in the approval channel. Several accounts or permission sets make one request with one decision (at most ${MAX_PARTS} parts); the start is in your Slack time zone, at most 7 days ahead.`,
    ),
  );
  return modal({
    type: "modal",
    callback_id: VIEWS.request,
    title: plain("Request AWS access"),
    submit: plain("Request"),
    close: plain("Cancel"),
    private_metadata: metadata(meta),
    blocks,
  });
}

/** The accounts and permission sets the requester may ask for, pre-selected as the command named them. */
function whatInputs(
  prefill: ModalPrefill,
  config: AccessConfig,
  offers: readonly Offer[],
): types.KnownBlock[] {
  const accounts = accountOptions(offers, config);
  const sets = permissionSetOptions(offers);
  return [
    input(
      REQUEST_FIELDS.account.block,
      "Accounts",
      multiSelect(REQUEST_FIELDS.account.action, "Choose accounts", accounts, prefill.accounts),
    ),
    input(
      REQUEST_FIELDS.permissionSet.block,
      "Permission sets",
      multiSelect(
        REQUEST_FIELDS.permissionSet.action,
        "Choose permission sets",
        sets,
        prefill.permissionSets,
      ),
    ),
  ];
}

/** The duration and start (both optional) and the reason, filled with what the command said. */
function whenAndWhyInputs(prefill: ModalPrefill, config: AccessConfig): types.KnownBlock[] {
  return [
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
      REQUEST_FIELDS.start.block,
      "Start",
      text(REQUEST_FIELDS.start.action, {
        placeholder: "At once if left empty; 14:00, tomorrow 09:00, 2026-12-01 09:30 or in 30m",
        initial: prefill.start ? formatStart(prefill.start).replace(/^at /, "") : undefined,
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
  ];
}

/** The form's metadata as JSON within Slack's limit: the requester's groups are left out if they do not fit. */
function metadata(meta: RequestModalContext): string {
  const channel = meta.channel && CHANNEL_ID.test(meta.channel) ? { channel: meta.channel } : {};
  const full = JSON.stringify({ ...channel, ...(meta.requester ? { requester: meta.requester } : {}) });
  if (full.length <= SLACK_LIMITS.privateMetadata) return full;
  return JSON.stringify(channel);
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

/** A multi-select of the options, static up to Slack's 100, typeahead (answered by the options listener) beyond. */
function multiSelect(
  actionId: string,
  placeholder: string,
  options: types.PlainTextOption[],
  initial: readonly string[] | undefined,
): types.MultiStaticSelect | types.MultiExternalSelect {
  const wanted = new Set((initial ?? []).map((value) => value.toLowerCase()));
  const chosen = options.filter((o) => wanted.has((o.value ?? "").toLowerCase())).slice(0, MAX_PARTS);
  const common = {
    action_id: actionId,
    placeholder: plain(placeholder, SLACK_LIMITS.placeholder),
    ...(chosen.length > 0 ? { initial_options: chosen } : {}),
  };
  if (options.length > STATIC_OPTIONS_LIMIT) {
    return { type: "multi_external_select", ...common, min_query_length: 0 };
  }
  return { type: "multi_static_select", ...common, options };
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
