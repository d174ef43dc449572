import type { AuditEntry } from "../app/ports.js";

/** How `audit` prints the trail. */
export const AUDIT_FORMATS = ["table", "csv", "jsonl"] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** One line of the trail as every format shows it; absent values are empty. */
interface Row {
  time: string;
  actor: string;
  action: string;
  grant: string;
  account: string;
  permissionSet: string;
  requester: string;
  reason: string;
  status: string;
}

function rowOf(entry: AuditEntry): Row {
  const { event } = entry;
  return {
    time: new Date(event.at).toISOString(),
    actor: event.actor,
    action: event.type,
    grant: event.grantId ?? "",
    account: entry.account ?? "",
    permissionSet: entry.permissionSet ?? "",
    requester: entry.requester ?? "",
    reason: event.reason ?? "",
    status: event.status ?? "",
  };
}

const TABLE_COLUMNS: Array<[keyof Row, string]> = [
  ["time", "time"],
  ["actor", "actor"],
  ["action", "action"],
  ["grant", "grant"],
  ["account", "account"],
  ["permissionSet", "permission set"],
  ["requester", "requester"],
  ["reason", "reason"],
];

/** Text typed by users, made safe for a terminal: no line breaks or escape sequences in a table cell. */
function cell(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
  const clean = value.replace(/[\t\n\r]+/g, " ").replace(/[\u0000-\u001f\u007f-\u009f]/g, "\ufffd");
  return clean.trim() || "-";
}

/** Aligned columns with a header, the reason last and unpadded, so long reasons do not widen the others. */
export function auditTable(entries: readonly AuditEntry[]): string[] {
  const rows = entries.map(rowOf).map((row) => TABLE_COLUMNS.map(([key]) => cell(row[key])));
  const header = TABLE_COLUMNS.map(([, title]) => title);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((text, i) => (i === cells.length - 1 ? text : text.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

const CSV_COLUMNS: Array<[keyof Row, string]> = [
  ...TABLE_COLUMNS.map(
    ([key]) => [key, key === "permissionSet" ? "permission_set" : key] as [keyof Row, string],
  ),
  ["status", "status"],
];

/**
 * One RFC 4180 field: quoted when it holds a comma, quote or line break, quotes doubled. A value a spreadsheet
 * would run as a formula (=, +, -, @ first) gets a leading apostrophe, as OWASP advises for CSV exports.
 */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The CSV header record; records end with CRLF as RFC 4180 has it. */
export function csvHeader(): string {
  return `${CSV_COLUMNS.map(([, title]) => title).join(",")}\r\n`;
}

export function csvRecords(entries: readonly AuditEntry[]): string {
  return entries
    .map((entry) => {
      const row = rowOf(entry);
      return `${CSV_COLUMNS.map(([key]) => csvField(row[key])).join(",")}\r\n`;
    })
    .join("");
}

/** One JSON object per line, the event as stored plus whom and what it concerns. */
export function jsonLines(entries: readonly AuditEntry[]): string {
  return entries
    .map(({ event, requester, account, permissionSet }) => {
      const line = {
        time: new Date(event.at).toISOString(),
        ...event,
        ...(requester ? { requester } : {}),
        ...(account ? { account } : {}),
        ...(permissionSet ? { permissionSet } : {}),
      };
      return `${JSON.stringify(line)}\n`;
    })
    .join("");
}
