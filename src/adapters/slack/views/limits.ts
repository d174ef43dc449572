/**
 * Slack's Block Kit limits, in characters, from Slack's reference pages (section, context, actions, button, option,
 * static select, input and plain-text input, modal view, chat.postMessage). Views keep inside them whatever a user
 * typed; the limits test renders every view with maximal input against this table.
 */
export const SLACK_LIMITS = {
  /** A section's text (also the longest text object anywhere else). */
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  messageBlocks: 50,
  modalBlocks: 100,
  /** A Home tab holds as many blocks as a modal. */
  homeBlocks: 100,
  /** A confirm dialog's title, text, and its two buttons. */
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  placeholder: 150,
  inputLabel: 2000,
  inputMaxLength: 3000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  /** action_id, block_id and callback_id. */
  id: 255,
  /** chat.postMessage truncates longer fallback text. */
  messageText: 40000,
} as const;

const ELLIPSIS = "…";
/** The longest escape escapeText writes (`&amp;`). */
const LONGEST_ENTITY = 5;

/**
 * Text cut to at most `max` characters (UTF-16 units, the stricter count) with an ellipsis, never inside an escape
 * (`&amp;`), a mention, link or date token (`<…>`) or a surrogate pair, and with an open code span closed.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // Room for the ellipsis and a closing backtick.
  let end = Math.max(0, max - 2);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  const amp = text.lastIndexOf("&", end - 1);
  if (amp >= 0 && end - amp < LONGEST_ENTITY) {
    const semicolon = text.indexOf(";", amp);
    if (semicolon >= end && semicolon - amp < LONGEST_ENTITY) end = amp;
  }
  const open = text.lastIndexOf("<", end - 1);
  if (open >= 0 && text.lastIndexOf(">", end - 1) < open) end = open;
  const kept = text.slice(0, end);
  const ticks = kept.split("`").length - 1;
  return `${kept}${ticks % 2 === 1 ? "`" : ""}${ELLIPSIS}`;
}

/** Lines packed into as few chunks of at most `max` characters as they fit in (a longer line is clipped). */
export function pack(lines: readonly string[], max: number = SLACK_LIMITS.sectionText): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const line of lines.map((l) => clip(l, max))) {
    if (current === "") current = line;
    else if (current.length + 1 + line.length <= max) current += `\n${line}`;
    else {
      chunks.push(current);
      current = line;
    }
  }
  if (current !== "") chunks.push(current);
  return chunks;
}

/** At most `max` items; the rest summed up as "and N more". */
export function firstOf(items: readonly string[], max: number): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}
