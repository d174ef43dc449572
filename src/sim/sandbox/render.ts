import type { FakeCall } from "../slack/fake-slack.js";

/** Slack user id -> short name, to show `<@U0DEV>` as `@dev`. */
export type Names = ReadonlyMap<string, string>;

type Json = Record<string, unknown>;

const EMOJI: Record<string, string> = {
  key: "🔑",
  white_check_mark: "✅",
  hourglass_flowing_sand: "⏳",
  hourglass: "⌛",
  no_entry: "⛔",
  x: "❌",
  checkered_flag: "🏁",
  gear: "⚙️",
  alarm_clock: "⏰",
  warning: "⚠️",
  heavy_multiplication_x: "✖️",
  arrows_counterclockwise: "🔄",
  information_source: "ℹ️",
  lock: "🔒",
};

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** `@dev` for a known Slack user id, the id otherwise. */
export function userName(slackId: string, names: Names): string {
  return `@${names.get(slackId) ?? slackId}`;
}

/** Where a message went: `#C0APPROVALS`, or `DM @dev` for a direct message channel. */
export function destination(channel: string, names: Names): string {
  if (/^D/.test(channel)) return `DM ${userName(`U${channel.slice(1)}`, names)}`;
  if (/^[UW]/.test(channel)) return `DM ${userName(channel, names)}`;
  return `#${channel}`;
}

/** Slack mrkdwn as terminal text: mentions by name, dates by their fallback, links with their URL. */
export function renderMrkdwn(text: string, names: Names): string {
  return text
    .replace(/<([^<>|]+)(?:\|([^<>]*))?>/g, (_all, target: string, label: string | undefined) => {
      if (target.startsWith("@")) return userName(target.slice(1), names);
      if (target.startsWith("#")) return `#${label ?? target.slice(1)}`;
      if (target.startsWith("!date^")) return label ?? target;
      if (target.startsWith("!")) return `@${target.slice(1)}`;
      return label ? `${label} (${target})` : target;
    })
    .replace(/:([a-z0-9_+-]+):/g, (all, name: string) => EMOJI[name] ?? all)
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, "$1$2")
    .replace(/^>/gm, "> ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function textOf(value: unknown, names: Names): string {
  return isRecord(value) ? renderMrkdwn(str(value.text), names) : "";
}

/** "Account: Production (prod, 222222222222)" from a `*Account*\n…` field. */
function fieldLine(field: unknown, names: Names): string {
  const [label = "", ...rest] = textOf(field, names).split("\n");
  return rest.length > 0 ? `${label}: ${rest.join(" ")}` : label;
}

function elementLabel(element: unknown, names: Names): string {
  if (!isRecord(element)) return "";
  if (element.type === "button") return `[${textOf(element.text, names)}]`;
  const hint = textOf(element.placeholder, names);
  return `[${hint || String(element.type ?? "input")}]`;
}

/** One Block Kit block as terminal lines. */
export function renderBlock(block: unknown, names: Names): string[] {
  if (!isRecord(block)) return [];
  switch (block.type) {
    case "section": {
      const lines = block.text ? textOf(block.text, names).split("\n") : [];
      const fields = Array.isArray(block.fields) ? block.fields.map((f) => fieldLine(f, names)) : [];
      const accessory = block.accessory ? [elementLabel(block.accessory, names)] : [];
      return [...lines, ...fields, ...accessory];
    }
    case "context": {
      const parts = Array.isArray(block.elements) ? block.elements.map((e) => textOf(e, names)) : [];
      return [parts.join("  ")];
    }
    case "actions": {
      const parts = Array.isArray(block.elements) ? block.elements.map((e) => elementLabel(e, names)) : [];
      return [parts.join(" ")];
    }
    case "header":
      return [textOf(block.text, names)];
    case "input":
      return [`${textOf(block.label, names)}: ${elementLabel(block.element, names)}`];
    case "divider":
      return ["----"];
    default:
      return [];
  }
}

/** A message's blocks as lines, or its fallback text when it has none. */
export function renderMessage(message: { text?: unknown; blocks?: unknown }, names: Names): string[] {
  if (Array.isArray(message.blocks) && message.blocks.length > 0) {
    return message.blocks.flatMap((block) => renderBlock(block, names));
  }
  return renderMrkdwn(str(message.text), names).split("\n");
}

/** A heading line and its body, indented. */
export function framed(heading: string, body: string[]): string[] {
  return [heading, ...body.map((line) => (line ? `  ${line}` : ""))];
}

/** A modal as lines: its title, blocks and submit button. */
export function renderModal(view: unknown, names: Names, how: string): string[] {
  if (!isRecord(view)) return [];
  const submit = isRecord(view.submit) ? ` [${textOf(view.submit, names)}]` : "";
  const body = Array.isArray(view.blocks) ? view.blocks.flatMap((b) => renderBlock(b, names)) : [];
  return framed(`(modal ${how}) ${textOf(view.title, names)}`, [...body, ...(submit ? [submit.trim()] : [])]);
}

/** What the bot sent through one Web API call; undefined for calls that show nothing (users.info …). */
export function renderCall(call: FakeCall, names: Names): string[] | undefined {
  const { method, args } = call;
  const failed = call.answer === "ok" ? "" : ` (Slack answered ${call.answer})`;
  switch (method) {
    case "chat.postMessage":
      return framed(`${destination(str(args.channel), names)}${failed}`, renderMessage(args, names));
    case "chat.update":
      return framed(
        `${destination(str(args.channel), names)} (message updated)${failed}`,
        renderMessage(args, names),
      );
    case "chat.postEphemeral":
      return framed(`(only you) ${userName(str(args.user), names)}${failed}`, renderMessage(args, names));
    case "views.open":
      return renderModal(args.view, names, `opened${failed}`);
    case "views.update":
      return renderModal(args.view, names, `updated${failed}`);
    default:
      return call.answer === "ok" ? undefined : [`(Slack ${method} answered ${call.answer})`];
  }
}

/** A body posted to a response_url: an ephemeral reply only the clicking or typing user sees. */
export function renderResponse(body: Json, user: string, names: Names): string[] {
  const visibility = body.response_type === "in_channel" ? "(in channel)" : "(only you)";
  return framed(`${visibility} ${userName(user, names)}`, renderMessage(body, names));
}

/** The HTTP answer to a view submission: errors on fields, or the modal it turned into. */
export function renderViewAck(text: string, names: Names): string[] {
  if (text.trim() === "") return [];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [text];
  }
  if (!isRecord(body)) return [];
  if (body.response_action === "errors" && isRecord(body.errors)) {
    return framed(
      "(modal errors)",
      Object.entries(body.errors).map(([k, v]) => `${k}: ${String(v)}`),
    );
  }
  if (body.response_action === "update" || body.response_action === "push") {
    return renderModal(body.view, names, "updated");
  }
  return [];
}
