import { type Command, MAX_PARTS, type ParseResult } from "./command.js";
import {
  DATE_SHAPE,
  DAY_WORDS,
  DURATION_FORMS,
  formatDuration,
  formatStart,
  parseCalendarDate,
  parseClockTime,
  parseDuration,
  START_FORMS,
  type StartSpec,
  TIME_SHAPE,
} from "./duration.js";
import { normaliseId } from "./ids.js";
import { closest } from "./suggest.js";

/** The account aliases and permission set names the command may name, spelled as in the config. */
export interface Vocabulary {
  accounts: readonly string[];
  permissionSets: readonly string[];
}

/** Longest reason accepted, in characters (code points), so approval messages stay readable. */
export const MAX_REASON_LENGTH = 500;

/** The request form, quoted in error messages. */
export const REQUEST_USAGE = "/aws-access <account> <permission-set> [duration] [start] <reason>";

/** The whole grammar, for `help` replies. */
export const USAGE = [
  `\`${REQUEST_USAGE}\` asks for access, e.g. \`/aws-access prod ReadOnly 4h fixing INC-123\``,
  `    duration: ${DURATION_FORMS}; left out, the default applies; the reason is required`,
  `    start: ${START_FORMS} (your Slack time zone, at most 7 days ahead); left out, at once`,
  `    several at once: \`prod,staging ReadOnly\` or \`prod ReadOnly,Billing\` (commas, no spaces, at most ${MAX_PARTS} parts)`,
  "`/aws-access`, or a request without a reason, opens a form to fill in",
  "`/aws-access list` shows your grants and their ids",
  "`/aws-access revoke <grant-id or request-id>` ends a grant, or every part of a request, early",
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
  private ahead: Array<Token | undefined> = [];
  constructor(private readonly text: string) {}

  next(): Token | undefined {
    if (this.ahead.length > 0) return this.ahead.shift();
    const match = this.pattern.exec(this.text);
    return match ? { text: match[0], end: this.pattern.lastIndex } : undefined;
  }

  /** The word `n` places ahead (0: the next one), without consuming it. */
  peek(n = 0): Token | undefined {
    while (this.ahead.length <= n) {
      const match = this.pattern.exec(this.text);
      this.ahead.push(match ? { text: match[0], end: this.pattern.lastIndex } : undefined);
      if (!match) break;
    }
    return this.ahead[n];
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
  const usage = "/aws-access revoke <grant-id or request-id>";
  const idToken = words.next();
  if (!idToken) return fail(`\`revoke\` needs a grant id: ${usage} (\`/aws-access list\` shows yours)`);
  const grantId = normaliseId(idToken.text);
  if (!grantId) return fail(notAnId(idToken.text));
  if (words.next()) return fail(`\`revoke\` takes only a grant id: ${usage}`);
  return ok({ kind: "revoke", grantId });
}

function parseExtend(words: Words): ParseResult {
  const usage = "/aws-access extend <grant-id> <duration>";
  const idToken = words.next();
  if (!idToken) return fail(`\`extend\` needs a grant id and a duration: ${usage}`);
  const grantId = normaliseId(idToken.text);
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
  const accounts = matchNames(first.text, vocab.accounts, "account", "Accounts", [...SUBCOMMANDS]);
  if (!accounts.ok) return accounts;
  const second = words.next();
  if (!second) return ok({ kind: "modal", accounts: accounts.names });
  const permissionSets = matchNames(second.text, vocab.permissionSets, "permission set", "Permission sets");
  if (!permissionSets.ok) return permissionSets;
  const parts = accounts.names.length * permissionSets.names.length;
  if (parts > MAX_PARTS) {
    return fail(
      `At most ${MAX_PARTS} parts in one request: ${accounts.names.length} accounts times ${permissionSets.names.length} permission sets make ${parts}. Ask in several requests.`,
    );
  }
  let reasonStart = second.end;
  let durationSeconds: number | undefined;
  const next = words.peek();
  if (next && DURATION_TOKEN.test(next.text)) {
    const duration = durationOf(next.text);
    if (!duration.ok) return duration;
    durationSeconds = duration.seconds;
    reasonStart = next.end;
    words.next();
  }
  const start = startOf(words);
  if (start && !start.ok) return start;
  if (start) reasonStart = start.end;
  const fields = {
    accounts: accounts.names,
    permissionSets: permissionSets.names,
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
    ...(start ? { start: start.start } : {}),
  };
  if (!words.next()) return ok({ kind: "modal", ...fields });
  const reason = text.slice(reasonStart).trim();
  const length = codePoints(reason);
  if (length > MAX_REASON_LENGTH) {
    return fail(
      `The reason is too long: at most ${MAX_REASON_LENGTH} characters, and this one has ${length}.`,
    );
  }
  return ok({ kind: "request", ...fields, reason });
}

/**
 * A start after the duration, consumed when there is one: `at` with a time (or a day and a time), `in` with a
 * duration. A time- or date-shaped word after `at`, or a word starting with a digit after `in`, that is not valid
 * is an error; `at` or `in` followed by anything else is left for the reason.
 */
function startOf(
  words: Words,
): { ok: true; start: StartSpec; end: number } | { ok: false; error: string } | undefined {
  const keyword = words.peek()?.text.toLowerCase();
  const first = words.peek(1);
  if ((keyword !== "at" && keyword !== "in") || !first) return undefined;
  if (keyword === "in") {
    if (!DURATION_TOKEN.test(first.text)) return undefined;
    const duration = durationOf(first.text);
    if (!duration.ok) return duration;
    words.next();
    words.next();
    return { ok: true, start: { kind: "in", seconds: duration.seconds }, end: first.end };
  }
  if (TIME_SHAPE.test(first.text)) {
    const time = parseClockTime(first.text);
    if (!time.ok) return time;
    words.next();
    words.next();
    return { ok: true, start: { kind: "at", time: time.value }, end: first.end };
  }
  const second = words.peek(2);
  const dayWord = DAY_WORDS.find((word) => word === first.text.toLowerCase());
  if (DATE_SHAPE.test(first.text)) {
    const date = parseCalendarDate(first.text);
    if (!date.ok) return date;
    if (!second || !TIME_SHAPE.test(second.text)) {
      return fail(`A start date needs a time after it, e.g. \`at ${date.value} 09:30\` (${START_FORMS}).`);
    }
  } else if (!dayWord || !second || !TIME_SHAPE.test(second.text)) {
    return undefined;
  }
  const time = parseClockTime(second?.text ?? "");
  if (!time.ok) return time;
  words.next();
  words.next();
  words.next();
  return {
    ok: true,
    start: { kind: "at", day: dayWord ?? first.text, time: time.value },
    end: second?.end ?? 0,
  };
}

/** Comma-separated names (no spaces), each matched to the config's spelling; duplicates and gaps are errors. */
function matchNames(
  typed: string,
  names: readonly string[],
  what: string,
  heading: string,
  alsoSuggest: readonly string[] = [],
): { ok: true; names: string[] } | { ok: false; error: string } {
  const pieces = typed.split(",");
  const found: string[] = [];
  for (const piece of pieces) {
    if (piece === "") {
      const shown = shorten(typed).replaceAll("`", "");
      return fail(
        `\`${shown}\` has an empty ${what} name: separate names with commas and no spaces, e.g. \`prod,staging\`.`,
      );
    }
    const name = matchName(piece, names);
    if (name === undefined) {
      const hint = closest(piece, pieces.length === 1 ? [...names, ...alsoSuggest] : names);
      return fail(unknownName(what, piece, hint, heading, names));
    }
    if (found.includes(name)) return fail(`\`${name}\` is named twice; name each ${what} once.`);
    found.push(name);
  }
  return { ok: true, names: found };
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
      const words = [
        command.accounts?.join(","),
        command.permissionSets?.join(","),
        duration,
        command.start === undefined ? undefined : formatStart(command.start),
        command.reason,
      ];
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
  return `${echo(typed)} is not a grant id: ids are 8 letters and digits like \`k7m2x9qa\` (requests: \`r-k7m2x9qa\`); \`/aws-access list\` shows yours`;
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
