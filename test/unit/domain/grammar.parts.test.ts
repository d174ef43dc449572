import { describe, expect, it } from "vitest";
import type { Command } from "../../../src/domain/command.js";
import { formatCommand, parseCommand } from "../../../src/domain/grammar.js";
import { H, request, vocab } from "../../fixtures/grammar-cases.js";

const M = 60;

/** [behaviour, input, expected command or a substring of the expected error] */
const parts: [string, string, Command | string][] = [
  [
    "parses several accounts",
    "prod,staging ReadOnly 2h INC-42 rollout",
    request({ accounts: ["prod", "staging"], durationSeconds: 2 * H, reason: "INC-42 rollout" }),
  ],
  [
    "parses several permission sets",
    "prod ReadOnly,PowerUser 1h INC-42",
    request({ permissionSets: ["ReadOnly", "PowerUser"], durationSeconds: H, reason: "INC-42" }),
  ],
  [
    "parses several of both, in the order given",
    "staging,PROD readonly,poweruser fix",
    request({ accounts: ["staging", "prod"], permissionSets: ["ReadOnly", "PowerUser"], reason: "fix" }),
  ],
  [
    "allows ten parts",
    "prod,staging,Sandbox-1 ReadOnly,PowerUser,AdministratorAccess x",
    request({
      accounts: ["prod", "staging", "Sandbox-1"],
      permissionSets: ["ReadOnly", "PowerUser", "AdministratorAccess"],
      reason: "x",
    }),
  ],
  [
    "prefills the form with several accounts",
    "prod,staging",
    { kind: "modal", accounts: ["prod", "staging"] },
  ],
  ["refuses a trailing comma", "prod, ReadOnly x", "`prod,` has an empty account name"],
  ["refuses a space after a comma", "prod, staging ReadOnly x", "commas and no spaces"],
  ["refuses a leading comma in permission sets", "prod ,ReadOnly x", "has an empty permission set name"],
  ["refuses an account named twice", "prod,PROD ReadOnly x", "`prod` is named twice"],
  ["refuses a permission set named twice", "prod ReadOnly,readonly x", "`ReadOnly` is named twice"],
  [
    "names the unknown one among several accounts",
    "prod,stagign ReadOnly x",
    "Unknown account `stagign`. Did you mean `staging`?",
  ],
  [
    "names the unknown one among several permission sets",
    "prod ReadOnly,Billing x",
    "Unknown permission set `Billing`.",
  ],
];

const starts: [string, string, Command | string][] = [
  [
    "parses a start time after the duration",
    "prod ReadOnly 2h at 14:00 fixing INC-123",
    request({ durationSeconds: 2 * H, start: { kind: "at", time: "14:00" } }),
  ],
  [
    "parses a start time without a duration",
    "prod ReadOnly at 9:30 fixing INC-123",
    request({ start: { kind: "at", time: "09:30" } }),
  ],
  [
    "parses a start date and time",
    "prod ReadOnly 1h at 2026-12-01 09:30 fixing INC-123",
    request({ durationSeconds: H, start: { kind: "at", day: "2026-12-01", time: "09:30" } }),
  ],
  [
    "parses tomorrow",
    "prod ReadOnly 1h AT Tomorrow 09:00 fixing INC-123",
    request({ durationSeconds: H, start: { kind: "at", day: "tomorrow", time: "09:00" } }),
  ],
  [
    "parses today",
    "prod ReadOnly at today 23:59 fixing INC-123",
    request({ start: { kind: "at", day: "today", time: "23:59" } }),
  ],
  [
    "parses a relative start",
    "prod ReadOnly 2h in 30m fixing INC-123",
    request({ durationSeconds: 2 * H, start: { kind: "in", seconds: 30 * M } }),
  ],
  [
    "prefills the form with the start when the reason is missing",
    "prod ReadOnly 2h in 1h30m",
    {
      kind: "modal",
      accounts: ["prod"],
      permissionSets: ["ReadOnly"],
      durationSeconds: 2 * H,
      start: { kind: "in", seconds: 90 * M },
    },
  ],
  [
    "keeps `at` followed by a word in the reason",
    "prod ReadOnly 2h at the standup",
    request({ durationSeconds: 2 * H, reason: "at the standup" }),
  ],
  [
    "keeps `at` followed by a number in the reason",
    "prod ReadOnly at 5 we deploy",
    request({ reason: "at 5 we deploy" }),
  ],
  [
    "keeps `at tomorrow` without a time in the reason",
    "prod ReadOnly 1h at tomorrow standup",
    request({ durationSeconds: H, reason: "at tomorrow standup" }),
  ],
  [
    "keeps `in` followed by a word in the reason",
    "prod ReadOnly 1h in prod we trust",
    request({ durationSeconds: H, reason: "in prod we trust" }),
  ],
  ["keeps a lone `at` as the reason", "prod ReadOnly 1h at", request({ durationSeconds: H, reason: "at" })],
  [
    "reads only the first start; a second one is reason",
    "prod ReadOnly at 14:00 in 30m",
    request({ start: { kind: "at", time: "14:00" }, reason: "in 30m" }),
  ],
  ["refuses an hour past 23", "prod ReadOnly at 25:00 x", "'25:00' is not a time of day"],
  ["refuses minutes past 59", "prod ReadOnly 1h at 14:60 x", "'14:60' is not a time of day"],
  ["refuses a date that does not exist", "prod ReadOnly at 2026-02-30 09:00 x", "'2026-02-30' is not a date"],
  ["refuses a date without a time", "prod ReadOnly at 2026-12-01 x", "A start date needs a time after it"],
  ["refuses a bad time after a day", "prod ReadOnly at tomorrow 9:75 x", "'9:75' is not a time of day"],
  ["refuses a bad relative start", "prod ReadOnly 1h in 4x fixing", "'4x' is not a duration"],
];

describe("parseCommand with several parts and a start", () => {
  it.each([...parts, ...starts])("%s", (_behaviour, text, expected) => {
    const result = parseCommand(text, vocab);
    if (typeof expected === "string") {
      expect(result).toEqual({ ok: false, error: expect.stringContaining(expected) });
    } else {
      expect(result).toEqual({ ok: true, command: expected });
    }
  });

  it("refuses more than ten parts, saying how many were asked for", () => {
    const result = parseCommand("prod,staging,Sandbox-1 ReadOnly,PowerUser,AdministratorAccess,x y", {
      ...vocab,
      permissionSets: [...vocab.permissionSets, "x"],
    });
    expect(result).toEqual({
      ok: false,
      error: expect.stringContaining(
        "At most 10 parts in one request: 3 accounts times 4 permission sets make 12",
      ),
    });
  });
});

describe("formatCommand with several parts and a start", () => {
  it.each<[Command, string]>([
    [
      request({ accounts: ["prod", "staging"], durationSeconds: 2 * H }),
      "prod,staging ReadOnly 2h fixing INC-123",
    ],
    [
      request({ durationSeconds: H, start: { kind: "at", day: "tomorrow", time: "09:00" } }),
      "prod ReadOnly 1h at tomorrow 09:00 fixing INC-123",
    ],
    [request({ start: { kind: "in", seconds: 30 * M } }), "prod ReadOnly in 30m fixing INC-123"],
    [{ kind: "revoke", grantId: "r-k7m2x9qa" }, "revoke r-k7m2x9qa"],
  ])("formats %j as %j", (command, text) => {
    expect(formatCommand(command)).toBe(text);
    expect(parseCommand(text, vocab)).toEqual({ ok: true, command });
  });

  it.each([
    ["revoke R-K7M2X9QA", "r-k7m2x9qa"],
    ["revoke `r-k7m2x9qa`", "r-k7m2x9qa"],
    ["extend r-k7m2x9qa 1h", "r-k7m2x9qa"],
  ])("reads a request id in %j", (text, id) => {
    const result = parseCommand(text, vocab);
    expect(result.ok && "grantId" in result.command ? result.command.grantId : undefined).toBe(id);
  });
});
