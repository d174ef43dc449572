import { describe, expect, it } from "vitest";
import { COMMANDS, parseCommandLine, usageOf } from "../../../src/entrypoints/cli-args.js";

describe("parseCommandLine", () => {
  it.each([
    { argv: [], command: "help" },
    { argv: ["help"], command: "help" },
    { argv: ["--help"], command: "help" },
    { argv: ["-h"], command: "help" },
    { argv: ["audit", "--help"], command: "help" },
    { argv: ["serve"], command: "serve", values: {} },
    { argv: ["serve", "--create-table"], command: "serve", values: { "create-table": true } },
    { argv: ["revoke", "k7m2x9qa"], command: "revoke", positionals: ["k7m2x9qa"] },
    {
      argv: ["audit", "--since", "7d", "--format=csv", "--user", "dev@example.com"],
      command: "audit",
      values: { since: "7d", format: "csv", user: "dev@example.com" },
    },
  ])("reads $argv as $command", ({ argv, command, values, positionals }) => {
    const line = parseCommandLine(argv);
    expect(line).toMatchObject({ ok: true, command });
    if (values) expect(line).toMatchObject({ values });
    if (positionals) expect(line).toMatchObject({ positionals });
  });

  it.each([
    {
      argv: ["serve", "--create-tabel"],
      error: "unknown option --create-tabel; did you mean --create-table?",
    },
    { argv: ["audit", "--sinse", "7d"], error: "unknown option --sinse; did you mean --since?" },
    { argv: ["audit", "--format"], error: "option --format needs a value, e.g. --format csv" },
    { argv: ["audit", "--since", "--user", "a@b.c"], error: "option --since needs a value, e.g. --since 7d" },
    { argv: ["serve", "--create-table=yes"], error: "option --create-table takes no value" },
    { argv: ["grants", "--all"], error: "unknown option --all; grants takes no options" },
    { argv: ["audit", "--user", "a@b.c", "--user", "d@e.f"], error: "option --user is given more than once" },
    { argv: ["revoke"], error: "revoke needs exactly one grant id: npm run cli -- revoke k7m2x9qa" },
    {
      argv: ["revoke", "a", "b"],
      error: "revoke needs exactly one grant id: npm run cli -- revoke k7m2x9qa",
    },
    { argv: ["sweep", "now"], error: "sweep takes no argument 'now' (usage: npm run cli -- sweep)" },
    { argv: ["adit"], error: "unknown command 'adit'; did you mean 'audit'?" },
    { argv: ["launch"], error: "unknown command 'launch'" },
  ])("refuses $argv with a message that says what is wrong", ({ argv, error }) => {
    expect(parseCommandLine(argv)).toEqual({
      ok: false,
      error,
      showHelp: argv[0] === "adit" || argv[0] === "launch",
    });
  });

  it("names the usage of every command with its options and arguments", () => {
    expect(usageOf("revoke")).toBe("npm run cli -- revoke <grant-id>");
    expect(usageOf("serve")).toBe("npm run cli -- serve [--create-table]");
    expect(usageOf("audit")).toContain("[--since 7d]");
    expect(Object.keys(COMMANDS)).toEqual([
      "serve",
      "sandbox",
      "init-table",
      "doctor",
      "grants",
      "revoke",
      "sweep",
      "audit",
      "help",
    ]);
  });
});
