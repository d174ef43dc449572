import { describe, expect, it } from "vitest";
import type { Command } from "../../../src/domain/command.js";
import { formatCommand, parseCommand, USAGE } from "../../../src/domain/grammar.js";

import { cases, H, request, vocab } from "../../fixtures/grammar-cases.js";

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
    [{ kind: "modal", accounts: ["prod"] }, "prod"],
    [
      { kind: "modal", accounts: ["prod"], permissionSets: ["ReadOnly"], durationSeconds: 900 },
      "prod ReadOnly 15m",
    ],
  ])("formats %j as %j", (command, text) => {
    expect(formatCommand(command)).toBe(text);
    expect(parseCommand(text, vocab)).toEqual({ ok: true, command });
  });
});

describe("USAGE", () => {
  it.each([
    "/aws-access <account> <permission-set> [duration] [start] <reason>",
    "list",
    "revoke <grant-id or request-id>",
    "extend <grant-id> <duration>",
    "help",
    "PT4H",
  ])("mentions %s", (part) => {
    expect(USAGE).toContain(part);
  });
});
