import { type ParseArgsConfig, parseArgs } from "node:util";
import { closest } from "../domain/suggest.js";

type OptionSpec = { type: "boolean" } | { type: "string"; example: string };

interface CommandSpec {
  options: Record<string, OptionSpec>;
  /** Names of the positional arguments, all required. */
  positionals: string[];
}

/** Every command the CLI takes, with its options; HELP in cli.ts describes them. */
export const COMMANDS: Record<string, CommandSpec> = {
  serve: { options: { "create-table": { type: "boolean" } }, positionals: [] },
  sandbox: { options: {}, positionals: [] },
  "init-table": { options: {}, positionals: [] },
  doctor: { options: {}, positionals: [] },
  grants: { options: {}, positionals: [] },
  revoke: { options: {}, positionals: ["grant-id"] },
  sweep: { options: {}, positionals: [] },
  audit: {
    options: {
      since: { type: "string", example: "7d" },
      until: { type: "string", example: "2026-11-30T18:00Z" },
      user: { type: "string", example: "dev@example.com" },
      account: { type: "string", example: "prod" },
      grant: { type: "string", example: "k7m2x9qa" },
      format: { type: "string", example: "csv" },
    },
    positionals: [],
  },
  help: { options: {}, positionals: [] },
};

/** A command line read: the command, its option values and positional arguments; or what is wrong with it. */
export type CommandLine =
  | { ok: true; command: string; values: Record<string, string | boolean | undefined>; positionals: string[] }
  | { ok: false; error: string; showHelp: boolean };

const HELP_FLAGS = ["--help", "-h"];

/**
 * Reads `argv` with node:util parseArgs in strict mode: an unknown command or option, a missing or surplus
 * value, a repeated option or a wrong number of arguments is an error that says what was wrong, with a
 * "did you mean" where a known name is close. `--help` anywhere asks for the help text.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || HELP_FLAGS.includes(command)) {
    return { ok: true, command: "help", values: {}, positionals: [] };
  }
  const spec = COMMANDS[command];
  if (!spec) {
    const guess = command.startsWith("-") ? undefined : closest(command, Object.keys(COMMANDS));
    const hint = guess ? `; did you mean '${guess}'?` : "";
    return { ok: false, error: `unknown command '${command}'${hint}`, showHelp: true };
  }
  const options: NonNullable<ParseArgsConfig["options"]> = { help: { type: "boolean", short: "h" } };
  for (const [name, option] of Object.entries(spec.options)) options[name] = { type: option.type };
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; tokens: true; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...rest], options, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    return { ok: false, error: explain(command, spec, rest, error), showHelp: false };
  }
  if (parsed.values.help === true) return { ok: true, command: "help", values: {}, positionals: [] };
  const repeated = repeatedOption(parsed.tokens);
  if (repeated) return { ok: false, error: `option --${repeated} is given more than once`, showHelp: false };
  const count = spec.positionals.length;
  if (parsed.positionals.length !== count) {
    return { ok: false, error: positionalProblem(command, spec, parsed.positionals), showHelp: false };
  }
  // No option is declared `multiple`, so no value is an array.
  const { help: _help, ...values } = parsed.values as Record<string, string | boolean | undefined>;
  return { ok: true, command, values, positionals: parsed.positionals };
}

/** The usage line of one command, e.g. `npm run cli -- revoke <grant-id>`. */
export function usageOf(command: string): string {
  const spec = COMMANDS[command];
  if (!spec) return "npm run cli -- help";
  const options = Object.entries(spec.options).map(([name, option]) =>
    option.type === "boolean" ? `[--${name}]` : `[--${name} ${option.example}]`,
  );
  const args = spec.positionals.map((name) => `<${name}>`);
  return ["npm run cli --", command, ...args, ...options].join(" ");
}

function positionalProblem(command: string, spec: CommandSpec, given: string[]): string {
  if (command === "revoke") return "revoke needs exactly one grant id: npm run cli -- revoke k7m2x9qa";
  const surplus = given.slice(spec.positionals.length).map((arg) => `'${arg}'`);
  if (surplus.length > 0) {
    return `${command} takes no argument ${surplus.join(" ")} (usage: ${usageOf(command)})`;
  }
  return `${command} needs ${spec.positionals.map((p) => `<${p}>`).join(" ")} (usage: ${usageOf(command)})`;
}

function repeatedOption(tokens: Array<{ kind: string; name?: string }>): string | undefined {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option" || token.name === undefined) continue;
    if (seen.has(token.name)) return token.name;
    seen.add(token.name);
  }
  return undefined;
}

/** Turns parseArgs's strict-mode refusal into a message that names the option and what it expects. */
function explain(command: string, spec: CommandSpec, args: readonly string[], error: unknown): string {
  const { tokens } = parseArgs({ args: [...args], strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option =
      token.name === "help" || token.name === "h" ? { type: "boolean" as const } : spec.options[token.name];
    if (!option) {
      const names = Object.keys(spec.options);
      const guess = closest(token.name, names);
      const known =
        names.length === 0
          ? `${command} takes no options`
          : `${command} takes ${names.map((n) => `--${n}`).join(", ")}`;
      return guess
        ? `unknown option ${token.rawName}; did you mean --${guess}?`
        : `unknown option ${token.rawName}; ${known}`;
    }
    if (option.type === "string" && (token.value === undefined || token.value.startsWith("-"))) {
      return `option --${token.name} needs a value, e.g. --${token.name} ${option.example}`;
    }
    if (option.type === "boolean" && token.value !== undefined) {
      return `option --${token.name} takes no value`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}
