import { DateTime } from "luxon";
import { dynamoClient } from "../adapters/dynamodb/client.js";
import { DynamoGrantStore } from "../adapters/dynamodb/store.js";
import { type AuditRequest, auditTrail } from "../app/audit.js";
import type { AuditEntry, GrantStore } from "../app/ports.js";
import { parseDuration } from "../domain/duration.js";
import { normaliseGrantId } from "../domain/ids.js";
import { closest } from "../domain/suggest.js";
import {
  AUDIT_FORMATS,
  type AuditFormat,
  auditTable,
  csvHeader,
  csvRecords,
  jsonLines,
} from "./audit-format.js";
import type { Env } from "./runtime.js";

const DEFAULT_SINCE_MS = 7 * 24 * 3_600_000;
const TIME_FORMS =
  "a duration back from now (7d, 12h, 90m) or an ISO date or time (2026-11-30, 2026-11-30T09:00Z)";
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T/i;

export type AuditOptions =
  | { ok: true; request: AuditRequest; format: AuditFormat }
  | { ok: false; error: string };

type Values = Record<string, string | boolean | undefined>;

function stringOf(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value.trim() : undefined;
}

/**
 * A point in time for --since or --until: a duration back from `now`, `now` itself, or an ISO date or time
 * (UTC unless it names an offset). A bare date starts its day for --since and ends it for --until.
 */
export function parseWhen(text: string, now: number, edge: "since" | "until"): number | undefined {
  if (text.toLowerCase() === "now") return now;
  if (ISO_DATE.test(text) || ISO_TIME.test(text)) {
    const when = DateTime.fromISO(text, { zone: "utc" });
    if (!when.isValid) return undefined;
    return ISO_DATE.test(text) && edge === "until" ? when.endOf("day").toMillis() : when.toMillis();
  }
  const duration = parseDuration(text);
  return duration.ok ? now - duration.seconds * 1000 : undefined;
}

/** Reads the audit command's options; every refusal says what was wrong and what is allowed. */
export function readAuditOptions(values: Values, now: number): AuditOptions {
  const refuse = (error: string): AuditOptions => ({ ok: false, error });
  const request: Partial<AuditRequest> = {};
  const grant = stringOf(values, "grant");
  if (grant !== undefined) {
    const id = normaliseGrantId(grant);
    if (!id) return refuse(`--grant '${grant}' is not a grant id (eight letters and digits, e.g. k7m2x9qa)`);
    request.grantId = id;
  }
  const bounds: Record<"since" | "until", number> = {
    since: grant === undefined ? now - DEFAULT_SINCE_MS : 0,
    until: grant === undefined ? now : Number.MAX_SAFE_INTEGER,
  };
  for (const edge of ["since", "until"] as const) {
    const text = stringOf(values, edge);
    if (text === undefined) continue;
    const when = parseWhen(text, now, edge);
    if (when === undefined) return refuse(`--${edge} '${text}' is not ${TIME_FORMS}`);
    bounds[edge] = when;
  }
  if (bounds.since > bounds.until) {
    const iso = (at: number) => new Date(at).toISOString();
    return refuse(
      `--since (${iso(bounds.since)}) is after --until (${iso(bounds.until)}): nothing can match`,
    );
  }
  const user = stringOf(values, "user");
  if (user !== undefined) {
    if (!/^[^\s@]+@[^\s@]+$/.test(user))
      return refuse(`--user '${user}' is not an email address, e.g. dev@example.com`);
    request.requester = user;
  }
  const account = stringOf(values, "account");
  if (account !== undefined) {
    if (account === "") return refuse("--account needs an account alias, e.g. --account prod");
    request.account = account;
  }
  const format = stringOf(values, "format") ?? "table";
  if (!(AUDIT_FORMATS as readonly string[]).includes(format)) {
    const guess = closest(format, AUDIT_FORMATS);
    const hint = guess ? `; did you mean ${guess}?` : "";
    return refuse(`unknown --format '${format}'${hint} (use ${AUDIT_FORMATS.join(", ")})`);
  }
  return {
    ok: true,
    request: { ...request, from: bounds.since, to: bounds.until },
    format: format as AuditFormat,
  };
}

/** Writes to stdout, waiting when the pipe is full; a reader that went away (`| head`) ends the output quietly. */
function stdoutWriter(): (text: string) => Promise<boolean> {
  let closed = false;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") closed = true;
    else throw error;
  });
  return async (text) => {
    if (closed) return false;
    if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once("drain", resolve));
    return !closed;
  };
}

/** Prints the trail in `format` to stdout, page by page for csv and jsonl; returns how many events it printed. */
export async function printAudit(
  store: GrantStore,
  request: AuditRequest,
  format: AuditFormat,
  write: (text: string) => Promise<boolean>,
): Promise<number> {
  let count = 0;
  const table: AuditEntry[] = [];
  if (format === "csv" && !(await write(csvHeader()))) return 0;
  for await (const page of auditTrail({ store }, request)) {
    count += page.length;
    if (format === "table") table.push(...page);
    const text = format === "csv" ? csvRecords(page) : format === "jsonl" ? jsonLines(page) : "";
    if (text && !(await write(text))) return count;
  }
  if (format === "table") await write(`${auditTable(table).join("\n")}\n`);
  return count;
}

/** `audit`: the trail from DynamoDB only (no config needed), data on stdout, the summary on stderr. */
export async function auditCommand(env: Env, values: Values, now = Date.now()): Promise<number> {
  const options = readAuditOptions(values, now);
  if (!options.ok) {
    console.error(options.error);
    return 2;
  }
  const client = dynamoClient();
  try {
    const store = new DynamoGrantStore(client, env.grantsTable);
    const count = await printAudit(store, options.request, options.format, stdoutWriter());
    const { from, to } = options.request;
    const range = options.request.grantId
      ? `grant ${options.request.grantId}`
      : `${new Date(from).toISOString()} to ${new Date(to).toISOString()}`;
    console.error(`${count} audit event(s), ${range}`);
    return 0;
  } finally {
    client.destroy();
  }
}
