import { readFile } from "node:fs/promises";
import { parseDocument, type YAMLError } from "yaml";
import { z } from "zod";
import type { AccessConfig, Principals } from "../domain/config.js";
import { formatDuration } from "../domain/duration.js";
import { closest } from "../domain/suggest.js";
import { ConfigInvalid, ConfigNotFound } from "./errors.js";
import {
  ConfigSchema,
  keysAt,
  type ParsedConfig,
  type ParsedRule,
  RESERVED_ALIASES,
  RuleSchema,
} from "./schema.js";

/** Reads and validates the config file; every problem is reported at once, each naming its YAML path. */
export async function loadConfig(path: string): Promise<AccessConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new ConfigNotFound(path, { cause: error });
    throw new ConfigInvalid(path, [`cannot be read: ${(error as Error).message}`], { cause: error });
  }
  return parseConfig(text, path);
}

/** Validates YAML text as an access config; `source` names it in messages. */
export function parseConfig(yamlText: string, source = "access.yml"): AccessConfig {
  const doc = parseDocument(yamlText, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigInvalid(source, doc.errors.map(syntaxProblem), { cause: doc.errors[0] });
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) {
    throw new ConfigInvalid(source, ["the file is empty: start from access.example.yml"]);
  }
  const parsed = ConfigSchema.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.flatMap(issueProblems);
  problems.push(...crossCheck(raw));
  problems.sort((a, b) => placeOf(a) - placeOf(b));
  if (!parsed.success || problems.length > 0) {
    throw new ConfigInvalid(source, problems, { cause: parsed.error });
  }
  return toDomain(parsed.data);
}

const SECTIONS = Object.keys(ConfigSchema.shape);

/** Problems are listed in the order of the file's sections, rules by index, so each is easy to find. */
function placeOf(problem: string): number {
  const section = SECTIONS.findIndex((name) => new RegExp(`^${name}\\b`).test(problem));
  const rule = /^rules\[(\d+)\]/.exec(problem)?.[1];
  return (section + 1) * 1_000_000 + Number(rule ?? 0);
}

function syntaxProblem(error: YAMLError): string {
  const [first = error.message] = error.message.split("\n");
  return `YAML syntax error: ${first.replace(/:$/, "")}`;
}

/** `rules[2].maxDuration`, `accounts["my prod"]`: the way a reader finds the spot in the file. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path
    .map((step, index) => {
      if (typeof step === "number") return `[${step}]`;
      const key = String(step);
      if (!/^[A-Za-z0-9_-]+$/.test(key)) return `[${JSON.stringify(key)}]`;
      return index === 0 ? key : `.${key}`;
    })
    .join("");
}

function issueProblems(issue: z.core.$ZodIssue): string[] {
  if (issue.code !== "unrecognized_keys") return [`${formatPath(issue.path)}: ${issue.message}`];
  const known = keysAt(issue.path);
  return issue.keys.map((key) => {
    const near = closest(key, known);
    const hint = near ? `did you mean '${near}'?` : `expected one of: ${known.join(", ")}`;
    return `${formatPath([...issue.path, key])}: unknown key (${hint})`;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks that need more than one field: names, references, duplicates and limits between sections. */
function crossCheck(raw: unknown): string[] {
  const root = isRecord(raw) ? raw : {};
  const aliases = isRecord(root.accounts) ? Object.keys(root.accounts) : undefined;
  const setNames = isRecord(root.permissionSets) ? Object.keys(root.permissionSets) : undefined;
  const problems: string[] = [];
  if (aliases) {
    if (aliases.length === 0) problems.push("accounts: lists no accounts");
    problems.push(...nameProblems("accounts", aliases, "account alias"));
    problems.push(...aliases.filter(isReserved).map((alias) => reservedProblem(alias)));
  }
  if (setNames) {
    if (setNames.length === 0) problems.push("permissionSets: lists no permission sets");
    problems.push(...nameProblems("permissionSets", setNames, "permission set name"));
  }
  const defaults = fieldsOf(ConfigSchema.shape.defaults.unwrap(), root.defaults);
  const minDuration = defaults.minDuration;
  if (defaults.duration !== undefined && minDuration !== undefined && defaults.duration < minDuration) {
    problems.push(
      `defaults.duration: ${formatDuration(defaults.duration)} is shorter than defaults.minDuration (${formatDuration(minDuration)})`,
    );
  }
  const rules = Array.isArray(root.rules) ? root.rules : [];
  const firstWithName = new Map<string, number>();
  rules.forEach((rawRule: unknown, index) => {
    const at = `rules[${index}]`;
    if (!isRecord(rawRule)) return;
    const rule = fieldsOf(RuleSchema, rawRule);
    if (rule.name !== undefined) {
      const earlier = firstWithName.get(rule.name.toLowerCase());
      if (earlier === undefined) firstWithName.set(rule.name.toLowerCase(), index);
      else
        problems.push(
          `${at}.name: '${rule.name}' is already the name of rules[${earlier}] (rule names must differ)`,
        );
    }
    problems.push(...ruleProblems(rule, at, { aliases, setNames, minDuration }));
  });
  return problems;
}

function isReserved(alias: string): boolean {
  return (RESERVED_ALIASES as readonly string[]).includes(alias.toLowerCase()) || alias === "*";
}

function reservedProblem(alias: string): string {
  return `${formatPath(["accounts", alias])}: '${alias}' cannot be an account alias: the command reads it as a subcommand or wildcard (reserved: ${RESERVED_ALIASES.join(", ")}, *)`;
}

/** Names are typed in the slash command: no whitespace, and no two differing only by case. */
function nameProblems(section: string, names: string[], what: string): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const at = formatPath([section, name]);
    if (name.trim() === "") problems.push(`${at}: an empty ${what} cannot be typed`);
    else if (/\s/.test(name))
      problems.push(`${at}: ${what} '${name}' contains whitespace, so it cannot be typed`);
    const first = seen.get(name.toLowerCase());
    if (first === undefined) seen.set(name.toLowerCase(), name);
    else problems.push(`${at}: duplicates ${what} '${first}' (names match case-insensitively)`);
  }
  return problems;
}

interface Known {
  aliases: string[] | undefined;
  setNames: string[] | undefined;
  minDuration: number | undefined;
}

/** Each field of an object parsed on its own, so one bad field does not hide the checks on the others. */
function fieldsOf<Shape extends z.core.$ZodShape>(
  schema: { shape: Shape },
  raw: unknown,
): { [K in keyof Shape]?: z.output<Shape[K]> } {
  const source = isRecord(raw) ? raw : {};
  const fields: { [K in keyof Shape]?: z.output<Shape[K]> } = {};
  for (const key of Object.keys(schema.shape) as (keyof Shape & string)[]) {
    const field = schema.shape[key];
    if (!field) continue;
    const parsed = z.safeParse(field, source[key]);
    if (parsed.success) fields[key] = parsed.data as z.output<Shape[typeof key]>;
  }
  return fields;
}

function ruleProblems(rule: Partial<ParsedRule>, at: string, known: Known): string[] {
  const problems: string[] = [];
  const references = [
    { field: "accounts", names: rule.accounts, known: known.aliases, what: "account alias" },
    { field: "permissionSets", names: rule.permissionSets, known: known.setNames, what: "permission set" },
  ];
  for (const { field, names, known: candidates, what } of references) {
    if (!candidates || !names) continue;
    const lower = new Set(candidates.map((name) => name.toLowerCase()));
    names.forEach((name, index) => {
      if (name === "*" || lower.has(name.toLowerCase())) return;
      const near = closest(name, candidates);
      const hint = near ? `did you mean '${near}'?` : `known: ${candidates.join(", ") || "none"}`;
      problems.push(`${at}.${field}[${index}]: unknown ${what} '${name}' (${hint})`);
    });
  }
  for (const field of ["requesters", "approvers"] as const) {
    const principals = rule[field];
    if (principals && isEmpty(principals)) {
      const instead = field === "requesters" ? "omit requesters to let anyone request" : "list who approves";
      problems.push(`${at}.${field}: lists no groups or emails (${instead})`);
    }
  }
  const { approvers, approvalsRequired } = rule;
  if (rule.autoApprove === false && "approvers" in rule && approvers === undefined) {
    problems.push(`${at}.approvers: is required unless autoApprove is true (list groups and/or emails)`);
  }
  if (
    rule.autoApprove === false &&
    approvers &&
    approvalsRequired !== undefined &&
    approvers.groups.length === 0
  ) {
    const emails = new Set(approvers.emails.map((email) => email.toLowerCase())).size;
    if (emails > 0 && approvalsRequired > emails) {
      problems.push(
        `${at}.approvalsRequired: ${approvalsRequired} approvals can never be reached: only ${emails} approver email(s) and no groups are listed`,
      );
    }
  }
  if (
    known.minDuration !== undefined &&
    rule.maxDuration !== undefined &&
    rule.maxDuration < known.minDuration
  ) {
    problems.push(
      `${at}.maxDuration: ${formatDuration(rule.maxDuration)} is shorter than defaults.minDuration (${formatDuration(known.minDuration)}), so nothing could be requested`,
    );
  }
  return problems;
}

function isEmpty(principals: Principals): boolean {
  return principals.groups.length === 0 && principals.emails.length === 0;
}

function toDomain(parsed: ParsedConfig): AccessConfig {
  const { defaults } = parsed;
  return {
    identityCenter: parsed.identityCenter,
    slack: parsed.slack,
    defaults: {
      durationSeconds: defaults.duration,
      minDurationSeconds: defaults.minDuration,
      requestTimeoutSeconds: defaults.requestTimeout,
      reminderBeforeSeconds: defaults.reminderBefore,
      approverReminderSeconds: defaults.approverReminder,
    },
    accounts: parsed.accounts,
    permissionSets: parsed.permissionSets,
    rules: parsed.rules.map(({ maxDuration, requestTimeout, reminderBefore, approverReminder, ...rule }) => ({
      ...rule,
      maxDurationSeconds: maxDuration,
      ...(requestTimeout === undefined ? {} : { requestTimeoutSeconds: requestTimeout }),
      ...(reminderBefore === undefined ? {} : { reminderBeforeSeconds: reminderBefore }),
      ...(approverReminder === undefined ? {} : { approverReminderSeconds: approverReminder }),
    })),
  };
}
