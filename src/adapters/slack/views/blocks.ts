import type { types } from "@slack/bolt";
import { escapeText } from "../escape.js";
import { clip, pack, SLACK_LIMITS } from "./limits.js";

/** Block Kit types from the Slack libraries, named for the views. */
export type Block = types.KnownBlock;
export type ModalView = types.ModalView;

/** A message as chat.postMessage, chat.update and respond take it: fallback text plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** A section of mrkdwn the caller has already escaped, cut to Slack's limit without breaking an escape or mention. */
export function section(mrkdwn: string): types.SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: clip(mrkdwn, SLACK_LIMITS.sectionText) } };
}

/** Lines of escaped mrkdwn packed into as many sections as they need; no line is split between two. */
export function sections(lines: readonly string[]): types.SectionBlock[] {
  return pack(lines).map((chunk) => section(chunk));
}

/** A section with a two-column grid of labelled fields (already escaped). */
export function fields(entries: Array<[label: string, value: string]>): types.SectionBlock {
  return {
    type: "section",
    fields: entries.slice(0, SLACK_LIMITS.sectionFields).map(([label, value]) => ({
      type: "mrkdwn",
      text: clip(`*${label}*\n${value}`, SLACK_LIMITS.sectionField),
    })),
  };
}

/** Small grey lines under a message (already escaped). */
export function context(...lines: string[]): types.ContextBlock {
  return {
    type: "context",
    elements: lines
      .slice(0, SLACK_LIMITS.contextElements)
      .map((text) => ({ type: "mrkdwn", text: clip(text, SLACK_LIMITS.sectionText) })),
  };
}

/** Plain text for labels and buttons; escaped too, so no text object carries raw control characters. */
export function plain(text: string, max: number = SLACK_LIMITS.sectionText): types.PlainTextElement {
  return { type: "plain_text", text: clip(escapeText(text), max), emoji: true };
}

/** One button; `value` carries a grant id back to the listener. */
export function button(
  text: string,
  actionId: string,
  value: string,
  style?: "primary" | "danger",
): types.Button {
  return {
    type: "button",
    text: plain(text, SLACK_LIMITS.buttonText),
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

/** A message within Slack's limits: fallback text cut to what chat.postMessage keeps, at most 50 blocks. */
export function message(text: string, blocks: Block[]): SlackMessage {
  return { text: clip(text, SLACK_LIMITS.messageText), blocks: blocks.slice(0, SLACK_LIMITS.messageBlocks) };
}

/** A plain message with one section. */
export function textMessage(mrkdwn: string): SlackMessage {
  return message(mrkdwn, [section(mrkdwn)]);
}
