import { SLACK_LIMITS as L } from "../../src/adapters/slack/views/limits.js";

type Node = Record<string, unknown>;

/** Every way a message or modal breaks Slack's Block Kit limits or its mrkdwn (a cut escape or `<…>` token). */
export function messageProblems(message: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  const text = String(message.text ?? "");
  if (text.length === 0) problems.push("fallback text is empty");
  if (text.length > L.messageText) problems.push(`fallback text has ${text.length} characters`);
  problems.push(...mrkdwnProblems("fallback text", text));
  const blocks = asArray(message.blocks);
  if (blocks.length > L.messageBlocks) problems.push(`${blocks.length} blocks in a message`);
  for (const [i, block] of blocks.entries()) problems.push(...blockProblems(`block ${i}`, block));
  return problems;
}

/** As messageProblems, for a published Home tab. */
export function homeProblems(view: Node): string[] {
  const problems: string[] = [];
  if (view.type !== "home") problems.push(`a Home tab of type ${String(view.type)}`);
  const blocks = asArray(view.blocks);
  if (blocks.length > L.homeBlocks) problems.push(`${blocks.length} blocks in a Home tab`);
  for (const [i, block] of blocks.entries()) problems.push(...blockProblems(`block ${i}`, block));
  return problems;
}

/** As messageProblems, for a modal view. */
export function modalProblems(view: Node): string[] {
  const problems: string[] = [];
  const check = (where: string, value: unknown, max: number) => {
    const length = String(value ?? "").length;
    if (length > max) problems.push(`${where} has ${length} characters (max ${max})`);
  };
  for (const key of ["title", "submit", "close"]) {
    problems.push(...mrkdwnProblems(key, textOf(view[key]) ?? ""));
  }
  check("title", textOf(view.title), L.modalTitle);
  check("submit", textOf(view.submit), L.modalButton);
  check("close", textOf(view.close), L.modalButton);
  check("private_metadata", view.private_metadata, L.privateMetadata);
  check("callback_id", view.callback_id, L.id);
  const blocks = asArray(view.blocks);
  if (blocks.length > L.modalBlocks) problems.push(`${blocks.length} blocks in a modal`);
  for (const [i, block] of blocks.entries()) problems.push(...blockProblems(`block ${i}`, block));
  return problems;
}

function blockProblems(where: string, block: Node): string[] {
  const problems: string[] = [];
  const max = (what: string, value: unknown, limit: number) => {
    const length = String(value ?? "").length;
    if (length > limit) problems.push(`${where} ${what} has ${length} characters (max ${limit})`);
  };
  const text = (what: string, object: unknown, limit: number) => {
    const value = textOf(object);
    max(what, value, limit);
    if (value !== undefined && value.length === 0) problems.push(`${where} ${what} is empty`);
    problems.push(...mrkdwnProblems(`${where} ${what}`, value ?? ""));
  };
  max("block_id", block.block_id, L.id);
  switch (block.type) {
    case "section": {
      if (block.text !== undefined) text("text", block.text, L.sectionText);
      const fields = asArray(block.fields);
      if (fields.length > L.sectionFields) problems.push(`${where} has ${fields.length} fields`);
      for (const field of fields) text("field", field, L.sectionField);
      break;
    }
    case "header":
      text("text", block.text, L.headerText);
      break;
    case "context": {
      const elements = asArray(block.elements);
      if (elements.length > L.contextElements) problems.push(`${where} has ${elements.length} elements`);
      for (const element of elements) text("element", element, L.sectionText);
      break;
    }
    case "actions": {
      const elements = asArray(block.elements);
      if (elements.length > L.actionsElements) problems.push(`${where} has ${elements.length} elements`);
      for (const element of elements) {
        text("button text", element.text, L.buttonText);
        max("button value", element.value, L.buttonValue);
        max("button url", element.url, L.url);
        max("action_id", element.action_id, L.id);
        const confirm = record(element.confirm);
        if (confirm) {
          text("confirm title", confirm.title, L.confirmTitle);
          text("confirm text", confirm.text, L.confirmText);
          text("confirm button", confirm.confirm, L.confirmButton);
          text("confirm deny", confirm.deny, L.confirmButton);
        }
      }
      break;
    }
    case "divider":
      break;
    case "input": {
      text("label", block.label, L.inputLabel);
      const element = record(block.element) ?? {};
      max("action_id", element.action_id, L.id);
      text("placeholder", element.placeholder, L.placeholder);
      const limit = typeof element.max_length === "number" ? element.max_length : L.inputMaxLength;
      if (limit > L.inputMaxLength) problems.push(`${where} max_length ${limit}`);
      max("initial_value", element.initial_value, limit);
      const options = asArray(element.options);
      if (options.length > L.selectOptions) problems.push(`${where} has ${options.length} options`);
      for (const option of options) {
        text("option text", option.text, L.optionText);
        max("option value", option.value, L.optionValue);
      }
      break;
    }
    default:
      problems.push(`${where} is an unexpected ${String(block.type)} block`);
  }
  return problems;
}

/** An `&` that starts no escape Slack knows, or a `<` whose token is not closed, means a cut went wrong. */
function mrkdwnProblems(where: string, text: string): string[] {
  const problems: string[] = [];
  if (/&(?!amp;|lt;|gt;)/.test(text)) problems.push(`${where} has a broken escape`);
  if (text.replace(/<[^<>]*>/g, "").includes("<")) problems.push(`${where} has an unclosed <…> token`);
  return problems;
}

function textOf(object: unknown): string | undefined {
  const text = record(object)?.text;
  return typeof text === "string" ? text : undefined;
}

function asArray(value: unknown): Node[] {
  return Array.isArray(value) ? (value as Node[]) : [];
}

function record(value: unknown): Node | undefined {
  return typeof value === "object" && value !== null ? (value as Node) : undefined;
}
