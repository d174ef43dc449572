import { describe, expect, it } from "vitest";
import type { Command } from "../../src/domain/command.js";
import {
  formatCommand,
  parseCommand,
  REQUEST_USAGE,
  USAGE,
  type Vocabulary,
} from "../../src/domain/grammar.js";

const vocab: Vocabulary = {
  accounts: ["prod", "staging", "Sandbox-1"],
  permissionSets: ["ReadOnly", "AdministratorAccess", "PowerUser"],
};

const H = 3600;
const NOT_AN_ID =
  "is not a grant id: ids are 8 letters and digits like `k7m2x9qa`; `/aws-access list` shows yours";
const ACCOUNTS = "Accounts: `prod`, `staging`, `Sandbox-1`.";
const PERMISSION_SETS = "Permission sets: `ReadOnly`, `AdministratorAccess`, `PowerUser`.";
const LONG_REASON = "x".repeat(500);

const request = (fields: Partial<Extract<Command, { kind: "request" }>>): Command => ({
  kind: "request",
  account: "prod",
  permissionSet: "ReadOnly",
  reason: "fixing INC-123",
  ...fields,
});

/** [behaviour, input, expected command or a substring of the expected error] */
const cases: [string, string, Command | string][] = [
  // requests
  ["parses a full request", "prod ReadOnly 4h fixing INC-123", request({ durationSeconds: 4 * H })],
  ["parses a request without a duration", "prod ReadOnly fixing INC-123", request({})],
  ["parses minutes", "prod ReadOnly 30m fixing INC-123", request({ durationSeconds: 1800 })],
  ["parses hours and minutes", "prod ReadOnly 1h30m fixing INC-123", request({ durationSeconds: 5400 })],
  ["parses days", "prod ReadOnly 1d fixing INC-123", request({ durationSeconds: 24 * H })],
  ["parses ninety minutes", "prod ReadOnly 90m fixing INC-123", request({ durationSeconds: 5400 })],
  ["parses an ISO duration", "prod ReadOnly PT4H fixing INC-123", request({ durationSeconds: 4 * H })],
  ["parses lower-case ISO", "prod ReadOnly pt30m fixing INC-123", request({ durationSeconds: 1800 })],
  ["parses an ISO day duration", "prod ReadOnly P1D fixing INC-123", request({ durationSeconds: 24 * H })],
  ["parses upper-case units", "prod ReadOnly 4H fixing INC-123", request({ durationSeconds: 4 * H })],
  ["matches the account case-insensitively", "PROD ReadOnly fixing INC-123", request({})],
  ["matches the permission set case-insensitively", "prod readonly fixing INC-123", request({})],
  [
    "carries the canonical spelling",
    "SANDBOX-1 poweruser 2h x",
    request({ account: "Sandbox-1", permissionSet: "PowerUser", durationSeconds: 2 * H, reason: "x" }),
  ],
  [
    "accepts the other accounts",
    "staging AdministratorAccess 1h deploy",
    request({
      account: "staging",
      permissionSet: "AdministratorAccess",
      durationSeconds: H,
      reason: "deploy",
    }),
  ],
  [
    "ignores leading and trailing whitespace",
    "  \t prod ReadOnly 4h fixing INC-123 \n ",
    request({ durationSeconds: 4 * H }),
  ],
  ["splits on tabs and newlines", "prod\tReadOnly\n4h\tfixing INC-123", request({ durationSeconds: 4 * H })],
  [
    "splits on non-breaking spaces",
    "prod\u00a0ReadOnly\u00a04h\u00a0fixing INC-123",
    request({ durationSeconds: 4 * H }),
  ],
  [
    "keeps the reason's inner spacing",
    "prod ReadOnly 4h   fixing   INC-123\tnow",
    request({ durationSeconds: 4 * H, reason: "fixing   INC-123\tnow" }),
  ],
  ["keeps a multi-line reason", "prod ReadOnly fixing\nINC-123", request({ reason: "fixing\nINC-123" })],
  [
    "keeps a channel mention verbatim",
    "prod ReadOnly 1h <!channel> look",
    request({ durationSeconds: H, reason: "<!channel> look" }),
  ],
  [
    "keeps a user mention verbatim",
    "prod ReadOnly <@U123|bob> & <https://x|y>",
    request({ reason: "<@U123|bob> & <https://x|y>" }),
  ],
  [
    "keeps emoji in the reason",
    "prod ReadOnly 1h 🔥 outage 🔥",
    request({ durationSeconds: H, reason: "🔥 outage 🔥" }),
  ],
  [
    "keeps control characters inside the reason",
    "prod ReadOnly a\u0000b\u0007c",
    request({ reason: "a\u0000b\u0007c" }),
  ],
  [
    "takes a word after the duration as the reason even if it has digits",
    "prod ReadOnly 1h 4 servers down",
    request({ durationSeconds: H, reason: "4 servers down" }),
  ],
  [
    "starts the reason at a non-duration word",
    "prod ReadOnly Please help",
    request({ reason: "Please help" }),
  ],
  ["starts the reason at a lone P", "prod ReadOnly P is for prod", request({ reason: "P is for prod" })],
  ["starts the reason at PT without digits", "prod ReadOnly PTO cover", request({ reason: "PTO cover" })],
  [
    "keeps a subcommand word inside the reason",
    "prod ReadOnly help list revoke",
    request({ reason: "help list revoke" }),
  ],
  [
    "accepts a reason of exactly 500 characters",
    `prod ReadOnly ${LONG_REASON}`,
    request({ reason: LONG_REASON }),
  ],
  [
    "counts emoji as one character each",
    `prod ReadOnly ${"😀".repeat(500)}`,
    request({ reason: "😀".repeat(500) }),
  ],
  // modals
  ["opens the modal for no text", "", { kind: "modal" }],
  ["opens the modal for whitespace only", " \t\n ", { kind: "modal" }],
  ["prefills the account", "prod", { kind: "modal", account: "prod" }],
  ["prefills the canonical account", "sandbox-1", { kind: "modal", account: "Sandbox-1" }],
  [
    "prefills account and permission set",
    "prod readonly",
    { kind: "modal", account: "prod", permissionSet: "ReadOnly" },
  ],
  [
    "prefills the duration when the reason is missing",
    "prod ReadOnly 4h",
    { kind: "modal", account: "prod", permissionSet: "ReadOnly", durationSeconds: 4 * H },
  ],
  [
    "prefills with trailing whitespace",
    "prod ReadOnly 2h  \n",
    { kind: "modal", account: "prod", permissionSet: "ReadOnly", durationSeconds: 2 * H },
  ],
  // subcommands
  ["parses help", "help", { kind: "help" }],
  ["parses help in upper case", "HELP", { kind: "help" }],
  ["ignores words after help", "help me please", { kind: "help" }],
  ["parses list", "list", { kind: "list" }],
  ["parses list with odd whitespace", "\t List \n", { kind: "list" }],
  ["parses revoke", "revoke k7m2x9qa", { kind: "revoke", grantId: "k7m2x9qa" }],
  ["parses revoke with an upper-case id", "Revoke K7M2X9QA", { kind: "revoke", grantId: "k7m2x9qa" }],
  ["parses revoke with a backticked id", "revoke `k7m2x9qa`", { kind: "revoke", grantId: "k7m2x9qa" }],
  ["parses extend", "extend k7m2x9qa 2h", { kind: "extend", grantId: "k7m2x9qa", durationSeconds: 2 * H }],
  [
    "parses extend with a backticked id and ISO duration",
    "EXTEND `K7M2X9QA` PT90M",
    { kind: "extend", grantId: "k7m2x9qa", durationSeconds: 5400 },
  ],
  // errors in requests
  [
    "names an unknown account and suggests a near miss",
    "prd ReadOnly 1h x",
    "Unknown account `prd`. Did you mean `prod`?",
  ],
  [
    "lists the accounts for an unknown one",
    "qa ReadOnly 1h x",
    `Unknown account \`qa\`. ${ACCOUNTS} Usage: ${REQUEST_USAGE}`,
  ],
  ["suggests an account from a longer word", "production ReadOnly 1h x", "Did you mean `prod`?"],
  ["suggests an account with swapped letters", "stagnig ReadOnly x", "Did you mean `staging`?"],
  ["suggests a subcommand for a misspelt first word", "lsit", "Did you mean `list`?"],
  ["suggests help for a misspelt first word", "hlep", "Did you mean `help`?"],
  ["suggests revoke for a misspelt first word", "revok k7m2x9qa", "Did you mean `revoke`?"],
  ["makes no suggestion when nothing is close", "zzzzzz ReadOnly", `Unknown account \`zzzzzz\`. ${ACCOUNTS}`],
  ["refuses an account given alone when unknown", "prodd", "Unknown account `prodd`. Did you mean `prod`?"],
  [
    "names an unknown permission set and suggests a near miss",
    "prod ReadOnyl 1h x",
    "Unknown permission set `ReadOnyl`. Did you mean `ReadOnly`?",
  ],
  ["suggests a permission set from a prefix", "prod admin 1h x", "Did you mean `AdministratorAccess`?"],
  [
    "lists the permission sets for an unknown one",
    "prod Billing 1h x",
    `Unknown permission set \`Billing\`. ${PERMISSION_SETS}`,
  ],
  ["refuses a duration in the permission set position", "prod 4h fixing", "Unknown permission set `4h`."],
  [
    "refuses a bad duration instead of reading it as a reason",
    "prod ReadOnly 4x fixing",
    "'4x' is not a duration (use 30m, 4h, 1h30m, 1d or PT4H)",
  ],
  [
    "refuses a zero duration",
    "prod ReadOnly 0m fixing",
    "'0m' is not a duration: it must be longer than zero",
  ],
  ["refuses minutes without a unit", "prod ReadOnly 1h30 fixing", "'1h30' is not a duration"],
  ["refuses an ISO month", "prod ReadOnly P1M fixing", "'P1M' is not a duration"],
  ["refuses seconds", "prod ReadOnly PT30S fixing", "'PT30S' is not whole minutes"],
  ["refuses a bare number", "prod ReadOnly 4 servers", "'4' is not a duration"],
  ["refuses a duration over a year", "prod ReadOnly 400d fixing", "'400d' is too long: at most 366 days"],
  ["refuses a bad duration with no reason", "prod ReadOnly 4x", "'4x' is not a duration"],
  [
    "refuses a reason over 500 characters",
    `prod ReadOnly 1h ${LONG_REASON}y`,
    "The reason is too long: at most 500 characters, and this one has 501.",
  ],
  [
    "counts the reason's inner spacing toward the limit",
    `prod ReadOnly ${"a ".repeat(250)}b`,
    "this one has 501.",
  ],
  // errors in subcommands
  ["refuses words after list", "list mine", "`list` takes no arguments: /aws-access list"],
  ["refuses revoke without an id", "revoke", "`revoke` needs a grant id: /aws-access revoke <grant-id>"],
  ["refuses a malformed id", "revoke xyz", `'xyz' ${NOT_AN_ID}`],
  ["refuses an id with confusable letters", "revoke k7m2x9q0", `'k7m2x9q0' ${NOT_AN_ID}`],
  ["refuses an id of nine characters", "revoke k7m2x9qaa", `'k7m2x9qaa' ${NOT_AN_ID}`],
  [
    "refuses words after a revoked id",
    "revoke k7m2x9qa now",
    "`revoke` takes only a grant id: /aws-access revoke <grant-id>",
  ],
  [
    "refuses extend without an id",
    "extend",
    "`extend` needs a grant id and a duration: /aws-access extend <grant-id> <duration>",
  ],
  ["refuses extend with a malformed id", "extend 2h k7m2x9qa", `'2h' ${NOT_AN_ID}`],
  ["refuses extend without a duration", "extend k7m2x9qa", "`extend` needs a duration after the grant id"],
  [
    "refuses extend with a bad duration",
    "extend k7m2x9qa 4x",
    "'4x' is not a duration (use 30m, 4h, 1h30m, 1d or PT4H)",
  ],
  ["refuses extend with a word for a duration", "extend k7m2x9qa longer", "'longer' is not a duration"],
  [
    "refuses words after an extension",
    "extend k7m2x9qa 2h please",
    "`extend` takes only a grant id and a duration",
  ],
  ["shortens a huge word when echoing it", `revoke ${"q".repeat(1000)}`, `'${"q".repeat(40)}…' ${NOT_AN_ID}`],
];

describe("parseCommand", () => {
  it.each(cases)("%s", (_behaviour, text, expected) => {
    const result = parseCommand(text, vocab);
    if (typeof expected === "string") {
      expect(result).toEqual({ ok: false, error: expect.stringContaining(expected) });
    } else {
      expect(result).toEqual({ ok: true, command: expected });
    }
  });
});

describe("formatCommand", () => {
  it.each<[Command, string]>([
    [request({ durationSeconds: 5400 }), "prod ReadOnly 1h30m fixing INC-123"],
    [request({}), "prod ReadOnly fixing INC-123"],
    [{ kind: "list" }, "list"],
    [{ kind: "help" }, "help"],
    [{ kind: "revoke", grantId: "k7m2x9qa" }, "revoke k7m2x9qa"],
    [{ kind: "extend", grantId: "k7m2x9qa", durationSeconds: 26 * H }, "extend k7m2x9qa 1d2h"],
    [{ kind: "modal" }, ""],
    [{ kind: "modal", account: "prod" }, "prod"],
    [
      { kind: "modal", account: "prod", permissionSet: "ReadOnly", durationSeconds: 900 },
      "prod ReadOnly 15m",
    ],
  ])("formats %j as %j", (command, text) => {
    expect(formatCommand(command)).toBe(text);
    expect(parseCommand(text, vocab)).toEqual({ ok: true, command });
  });
});

describe("USAGE", () => {
  it.each([
    "/aws-access <account> <permission-set> [duration] <reason>",
    "list",
    "revoke <grant-id>",
    "extend <grant-id> <duration>",
    "help",
    "PT4H",
  ])("mentions %s", (part) => {
    expect(USAGE).toContain(part);
  });
});
