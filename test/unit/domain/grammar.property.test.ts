import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Command } from "../../../src/domain/command.js";
import { formatCommand, parseCommand, type Vocabulary } from "../../../src/domain/grammar.js";
import { GRANT_ID_ALPHABET } from "../../../src/domain/ids.js";

const vocab: Vocabulary = {
  accounts: ["prod", "staging", "Sandbox-1"],
  permissionSets: ["ReadOnly", "AdministratorAccess", "PowerUser"],
};

const RUNS = { numRuns: 2000 };
const DURATION_LIKE = /^(?:\d|pt?\d)/i;

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const anyCodePoint = fc.string({ unit: "binary", minLength: 1, maxLength: 1 });
/** Any UTF-16 text: every code point, control characters and unpaired surrogates. */
const anyText = fc.string({ unit: fc.oneof(anyCodePoint, loneSurrogate), maxLength: 80 });
const whitespace = fc.constantFrom(" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\ufeff");
const cased = (words: readonly string[]) =>
  fc
    .tuple(fc.constantFrom(...words), fc.constantFrom("same", "upper", "lower"))
    .map(([word, how]) =>
      how === "upper" ? word.toUpperCase() : how === "lower" ? word.toLowerCase() : word,
    );
const grantId = fc
  .array(fc.constantFrom(...GRANT_ID_ALPHABET), { minLength: 8, maxLength: 8 })
  .map((chars) => chars.join(""));
/** Words that steer the parser down every branch: names, subcommands, ids, durations, digits, junk. */
const word = fc.oneof(
  cased(vocab.accounts),
  cased(vocab.permissionSets),
  cased(["help", "list", "revoke", "extend"]),
  grantId.map((id) => `\`${id.toUpperCase()}\``),
  fc.constantFrom("4h", "30m", "1h30m", "PT4H", "p1d", "4x", "0m", "P1M", "1h30", "9", "<!channel>", "🔥"),
  fc.constantFrom(
    "at",
    "in",
    "AT",
    "14:00",
    "9:75",
    "tomorrow",
    "2026-12-01",
    "prod,staging",
    "ReadOnly,PowerUser",
    "prod,",
  ),
  fc.stringMatching(/^\d{1,4}[dhmx]?$/),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
);
const mixedText = fc
  .array(fc.tuple(whitespace, word), { maxLength: 7 })
  .chain((pairs) => whitespace.map((tail) => pairs.flat().join("") + tail));

/** Any text after a valid start, so the duration and reason rules see every kind of character. */
const requestPrefixed = fc
  .tuple(cased(vocab.accounts), whitespace, cased(vocab.permissionSets), whitespace, anyText)
  .map((parts) => parts.join(""));

const minutes = fc.integer({ min: 1, max: 366 * 24 * 60 }).map((m) => m * 60);
const reasonText = fc
  .string({ unit: fc.oneof(anyCodePoint, loneSurrogate), minLength: 1, maxLength: 120 })
  .map((text) => text.trim())
  .filter((text) => text.length > 0);
/**
 * Requests the grammar can express: without a duration, the reason cannot begin with a duration-like word, and it
 * never begins with `at` or `in` (a start).
 */
const requestCommand: fc.Arbitrary<Command> = fc
  .record({
    accounts: fc.subarray([...vocab.accounts], { minLength: 1 }),
    permissionSets: fc.subarray([...vocab.permissionSets], { minLength: 1, maxLength: 3 }),
    durationSeconds: fc.option(minutes, { nil: undefined }),
    reason: fc.oneof(reasonText, fc.constant("<!channel> & <@U1> fixing   INC-1")),
  })
  .filter((c) => c.durationSeconds !== undefined || !DURATION_LIKE.test(c.reason))
  .filter((c) => !/^(?:at|in)(?:\s|$)/i.test(c.reason))
  .map(({ durationSeconds, ...rest }) =>
    durationSeconds === undefined
      ? { kind: "request" as const, ...rest }
      : { kind: "request" as const, ...rest, durationSeconds },
  );
const otherCommand: fc.Arbitrary<Command> = fc.oneof(
  fc.constant({ kind: "help" as const }),
  fc.constant({ kind: "list" as const }),
  fc.constant({ kind: "modal" as const }),
  grantId.map((id) => ({ kind: "revoke" as const, grantId: id })),
  fc.tuple(grantId, minutes).map(([id, s]) => ({ kind: "extend" as const, grantId: id, durationSeconds: s })),
  fc.constantFrom(...vocab.accounts).map((account) => ({ kind: "modal" as const, accounts: [account] })),
  fc
    .tuple(fc.constantFrom(...vocab.accounts), fc.constantFrom(...vocab.permissionSets), fc.option(minutes))
    .map(([account, permissionSet, seconds]) =>
      seconds === null
        ? { kind: "modal" as const, accounts: [account], permissionSets: [permissionSet] }
        : {
            kind: "modal" as const,
            accounts: [account],
            permissionSets: [permissionSet],
            durationSeconds: seconds,
          },
    ),
);

describe("parseCommand properties", () => {
  it.each([
    ["printable ASCII", fc.string()],
    ["any code points and lone surrogates", anyText],
    ["graphemes", fc.string({ unit: "grapheme" })],
    ["mixes of vocabulary, subcommands, ids, durations and whitespace", mixedText],
  ])("never throws and always answers on %s", (_name, text) => {
    fc.assert(
      fc.property(text, (input) => {
        const result = parseCommand(input, vocab);
        expect(result.ok ? typeof result.command.kind : typeof result.error).toBe("string");
      }),
      RUNS,
    );
  });

  it.each([
    ["generated requests", requestCommand],
    ["generated subcommands and modals", otherCommand],
  ])("gives back %s after formatting", (_name, command) => {
    fc.assert(
      fc.property(command, (cmd) => {
        expect(parseCommand(formatCommand(cmd), vocab)).toEqual({ ok: true, command: cmd });
      }),
      RUNS,
    );
  });

  it.each([
    ["a valid account and permission set followed by any text", requestPrefixed],
    ["mixed vocabulary text", mixedText],
  ])("formats every command parsed from %s to text that parses the same", (_name, text) => {
    fc.assert(
      fc.property(text, (input) => {
        const first = parseCommand(input, vocab);
        fc.pre(first.ok);
        expect(parseCommand(formatCommand(first.command), vocab)).toEqual(first);
      }),
      { ...RUNS, maxSkipsPerRun: 1000 },
    );
  });
  it("refuses a megabyte reason, saying its length", () => {
    const result = parseCommand(`prod ReadOnly 1h ${"z".repeat(1_000_000)}`, vocab);
    expect(result).toEqual({ ok: false, error: expect.stringContaining("this one has 1000000.") });
  });

  it("refuses a megabyte first word without echoing all of it", () => {
    const result = parseCommand("9".repeat(1_000_000), vocab);
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining(`\`${"9".repeat(40)}…\``) });
    expect(JSON.stringify(result).length).toBeLessThan(400);
  });

  it("opens the modal for a megabyte of whitespace", () => {
    expect(parseCommand(" \n\t".repeat(300_000), vocab)).toEqual({ ok: true, command: { kind: "modal" } });
  });

  it("says when no accounts are configured", () => {
    const result = parseCommand("prod ReadOnly x", { accounts: [], permissionSets: [] });
    expect(result).toEqual({ ok: false, error: expect.stringContaining("Accounts: none are configured.") });
  });

  it("refuses an account word made of lone surrogates", () => {
    const result = parseCommand("\ud800\udfff\udc00 ReadOnly", vocab);
    expect(result).toEqual({ ok: false, error: expect.stringContaining("Unknown account") });
  });
});
