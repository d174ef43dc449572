/** What Slack treats as control characters in text; escaping them makes mentions and links inert. */
const CONTROL: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Escapes user text for any Slack text field, so `<!channel>`, `<@U123>` or `<url|label>` stay literal. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (char) => CONTROL[char] ?? char);
}

/** A backtick look-alike: a user's backtick cannot close our code span. */
const BACKTICK_STAND_IN = "\u02cb";

/** User text shown as an inline code span, escaped and with its backticks neutralised. */
export function code(text: string): string {
  const inert = escapeText(text).replace(/`/g, BACKTICK_STAND_IN).replace(/\r?\n/g, " ");
  return `\`${inert.length > 0 ? inert : " "}\``;
}

/** User text quoted as a block: escaped, each line prefixed so it cannot break out of the quote. */
export function blockQuote(text: string): string {
  return escapeText(text)
    .split(/\r?\n/)
    .map((line) => `>${line}`)
    .join("\n");
}
