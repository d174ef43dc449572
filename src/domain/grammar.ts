import type { Command, ParseResult } from "./command.js";
import { DURATION_FORMS, formatDuration, parseDuration } from "./duration.js";
import { normaliseGrantId } from "./ids.js";
import { closest } from "./suggest.js";

/** The account aliases and permission set names the command may name, spelled as in the config. */
export interface Vocabulary {
  accounts: readonly string[];
  permissionSets: readonly string[];
}

/** Longest reason accepted, in characters (code points), so approval messages stay readable. */
export const MAX_REASON_LENGTH = 500;

/** The request form, quoted in error messages. */
export const REQUEST_USAGE = "/aws-access <account> <permission-set> [duration] <reason>";

/** The whole grammar, for `help` replies. */
export const USAGE = [
  `\`${REQUEST_USAGE}\` asks for access, e.g. \`/aws-access prod ReadOnly 4h fixing INC-123\``,
  `    duration: ${DURATION_FORMS}; left out, the default applies; the reason is required`,
  "`/aws-access`, or a request without a reason, opens a form to fill in",
  "`/aws-access list` shows your grants and their ids",
  "`/aws-access revoke <grant-id>` ends a grant early",
  "`/aws-access extend <grant-id> <duration>` asks for more time on an active grant",
  "`/aws-access help` shows this",
].join("\n");

const SUBCOMMANDS = ["help", "list", "revoke", "extend"] as const;
const DURATION_TOKEN = /^(?:\d|pt?\d)/i;
const WORD = /\S+/g;
const ECHO_LIMIT = 40;

interface Token {
  text: string;
  end: number;
}

/** Reads whitespace-separated words one at a time, so a huge text costs only what is read. */
class Words {
  private readonly pattern = new RegExp(WORD);
  constructor(private readonly text: string) {}

  next(): Token | undefined {
    const match = this.pattern.exec(this.text);
    return match ? { text: match[0], end: this.pattern.lastIndex } : undefined;
  }
}

/** Parses the text of `/aws-access`; never throws: bad input becomes a specific error message. */
export function parseCommand(text: string, vocab: Vocabulary): ParseResult {
  const words = new Words(text);
  const first = words.next();
  if (!first) return ok({ kind: "modal" });
  switch (first.text.toLowerCase()) {
    case "help":
      return ok({ kind: "help" });
    case "list":
      return words.next() ? fail("`list` takes no arguments: /aws-access list") : ok({ kind: "list" });
    case "revoke":
      return parseRevoke(words);
    case "extend":
      return parseExtend(words);
    default:
      return parseRequest(text, first, words, vocab);
  }
}

function parseRevoke(words: Words): ParseResult {
  const usage = "/aws-access revoke <grant-id>";
  const idToken = words.next();
  if (!idToken) return fail(`\`revoke\` needs a grant id: ${usage} (\`/aws-access list\` shows yours)`);
  const grantId = normaliseGrantId(idToken.text);
  if (!grantId) return fail(notAnId(idToken.text));
  if (words.next()) return fail(`\`revoke\` takes only a grant id: ${usage}`);
  return ok({ kind: "revoke", grantId });
}

function parseExtend(words: Words): ParseResult {
  const usage = "/aws-access extend <grant-id> <duration>";
  const idToken = words.next();
  if (!idToken) return fail(`\`extend\` needs a grant id and a duration: ${usage}`);
  const grantId = normaliseGrantId(idToken.text);
  if (!grantId) return fail(notAnId(idToken.text));
  const durationToken = words.next();
  if (!durationToken) {
    return fail(`\`extend\` needs a duration after the grant id (${DURATION_FORMS}): ${usage}`);
  }
  const duration = durationOf(durationToken.text);
  if (!duration.ok) return duration;
  if (words.next()) return fail(`\`extend\` takes only a grant id and a duration: ${usage}`);
  return ok({ kind: "extend", grantId, durationSeconds: duration.seconds });
}

function parseRequest(text: string, first: Token, words: Words, vocab: Vocabulary): ParseResult {
  const account = matchName(first.text, vocab.accounts);
  if (account === undefined) {
    const hint = closest(first.text, [...vocab.accounts, ...SUBCOMMANDS]);
    return fail(unknownName("account", first.text, hint, "Accounts", vocab.accounts));
  }
  const second = words.next();
  if (!second) return ok({ kind: "modal", account });
  const permissionSet = matchName(second.text, vocab.permissionSets);
  if (permissionSet === undefined) {
    const hint = closest(second.text, vocab.permissionSets);
    return fail(unknownName("permission set", second.text, hint, "Permission sets", vocab.permissionSets));
  }
  let reasonStart = second.end;
  let durationSeconds: number | undefined;
  let next = words.next();
  if (next && DURATION_TOKEN.test(next.text)) {
    const duration = durationOf(next.text);
    if (!duration.ok) return duration;
    durationSeconds = duration.seconds;
    reasonStart = next.end;
    next = words.next();
  }
  const fields =
    durationSeconds === undefined ? { account, permissionSet } : { account, permissionSet, durationSeconds };
  if (!next) return ok({ kind: "modal", ...fields });
  const reason = text.slice(reasonStart).trim();
  const length = codePoints(reason);
  if (length > MAX_REASON_LENGTH) {
    return fail(
      `The reason is too long: at most ${MAX_REASON_LENGTH} characters, and this one has ${length}.`,
    );
  }
  return ok({ kind: "request", ...fields, reason });
}

/** The name as written in the config that `typed` names case-insensitively, if any. */
export function matchName(typed: string, names: readonly string[]): string | undefined {
  const wanted = typed.toLowerCase();
  return names.find((name) => name.toLowerCase() === wanted);
}

/** Canonical text for a command: parsing it gives back any command that parseCommand can produce. */
export function formatCommand(command: Command): string {
  switch (command.kind) {
    case "help":
    case "list":
      return command.kind;
    case "revoke":
      return `revoke ${command.grantId}`;
    case "extend":
      return `extend ${command.grantId} ${formatDuration(command.durationSeconds)}`;
    case "request":
    case "modal": {
      const duration =
        command.durationSeconds === undefined ? undefined : formatDuration(command.durationSeconds);
      const words = [command.account, command.permissionSet, duration, command.reason];
      return words.filter((word) => word !== undefined).join(" ");
    }
  }
}

function durationOf(token: string): { ok: true; seconds: number } | { ok: false; error: string } {
  if (token.length > ECHO_LIMIT) return fail(`${echo(token)} is not a duration (use ${DURATION_FORMS})`);
  return parseDuration(token);
}

function unknownName(
  what: string,
  typed: string,
  hint: string | undefined,
  heading: string,
  names: readonly string[],
): string {
  const suggestion = hint === undefined ? "" : ` Did you mean \`${hint}\`?`;
  const known = names.length === 0 ? "none are configured" : names.map((name) => `\`${name}\``).join(", ");
  const name = shorten(typed).replaceAll("`", "");
  return `Unknown ${what} \`${name}\`.${suggestion} ${heading}: ${known}. Usage: ${REQUEST_USAGE}`;
}

function notAnId(typed: string): string {
  return `${echo(typed)} is not a grant id: ids are 8 letters and digits like \`k7m2x9qa\`; \`/aws-access list\` shows yours`;
}

function echo(typed: string): string {
  return `'${shorten(typed)}'`;
}

/** Cut short so a pasted novel does not come back in the error. */
function shorten(typed: string): string {
  const head = Array.from(typed.slice(0, ECHO_LIMIT * 2));
  return head.length > ECHO_LIMIT ? `${head.slice(0, ECHO_LIMIT).join("")}…` : head.join("");
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function ok(command: Command): ParseResult {
  return { ok: true, command };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
