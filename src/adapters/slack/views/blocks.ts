import type { types } from "@slack/bolt";
import { escapeText } from "../escape.js";

/** Block Kit types from the Slack libraries, named for the views. */
export type Block = types.KnownBlock;
export type ModalView = types.ModalView;

/** A message as chat.postMessage, chat.update and respond take it: fallback text plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** A section of mrkdwn the caller has already escaped. */
export function section(mrkdwn: string): types.SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: mrkdwn } };
}

/** A section with a two-column grid of labelled fields (already escaped). */
export function fields(entries: Array<[label: string, value: string]>): types.SectionBlock {
  return {
    type: "section",
    fields: entries.map(([label, value]) => ({ type: "mrkdwn", text: `*${label}*\n${value}` })),
  };
}

/** Small grey lines under a message (already escaped). */
export function context(...lines: string[]): types.ContextBlock {
  return { type: "context", elements: lines.map((text) => ({ type: "mrkdwn", text })) };
}

/** Plain text for labels and buttons; escaped too, so no text object carries raw control characters. */
export function plain(text: string): types.PlainTextElement {
  return { type: "plain_text", text: escapeText(text), emoji: true };
}

/** One button; `value` carries a grant id back to the listener. */
export function button(
  text: string,
  actionId: string,
  value: string,
  style?: "primary" | "danger",
): types.Button {
  return { type: "button", text: plain(text), action_id: actionId, value, ...(style ? { style } : {}) };
}

/** A plain message with one section. */
export function textMessage(mrkdwn: string): SlackMessage {
  return { text: mrkdwn, blocks: [section(mrkdwn)] };
}
