import type { AccessConfig } from "../../domain/config.js";
import { formatDuration } from "../../domain/duration.js";
import type { Grant } from "../../domain/grant.js";
import type { SimAssignment } from "../identity-center/index.js";
import type { SandboxPerson } from "./seed.js";

/** Names Identity Center ids stand for, from the simulator's state. */
export interface Lookup {
  principal(type: SimAssignment["principalType"], id: string): string;
  permissionSet(arn: string): string;
  account(id: string): string;
}

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

/** The `users` command: who can be played, with their Slack ids and groups. */
export function usersTable(people: SandboxPerson[], current: SandboxPerson): string[] {
  return table([
    ["", "name", "slack id", "email", "groups"],
    ...people.map((p) => [
      p === current ? "*" : "",
      p.name,
      p.slackId,
      p.email,
      p.groups.join(", ") || "(none)",
    ]),
  ]);
}

/** The `grants` command: open grants as the store holds them. */
export function grantsTable(grants: Grant[], now: number): string[] {
  if (grants.length === 0) return ["no open grants"];
  return table([
    ["id", "status", "requester", "access", "duration", "expires"],
    ...grants.map((g) => [
      `\`${g.id}\``,
      g.status,
      g.requester.email,
      `${g.permissionSet.name} on ${g.account.alias}`,
      formatDuration(g.durationSeconds),
      g.expiresAt ? `in ${formatDuration(Math.max(0, (g.expiresAt - now) / 1000))}` : "-",
    ]),
  ]);
}

/** The `assignments` command: every USER and GROUP assignment in the simulated Identity Center. */
export function assignmentsTable(assignments: SimAssignment[], lookup: Lookup): string[] {
  if (assignments.length === 0) return ["no account assignments"];
  return table([
    ["type", "principal", "account", "permission set"],
    ...assignments.map((a) => [
      a.principalType,
      lookup.principal(a.principalType, a.principalId),
      lookup.account(a.accountId),
      lookup.permissionSet(a.permissionSetArn),
    ]),
  ]);
}

/** What the sandbox is made of, printed once at start. */
export function banner(parts: {
  config: AccessConfig;
  storeDescription: string;
  eventsUrl: string;
  /** The workspace page, when the sandbox serves one. */
  pageUrl?: string;
  people: SandboxPerson[];
  baseline: string[];
  example: { person: SandboxPerson; text: string } | undefined;
}): string[] {
  const { config, example } = parts;
  const accounts = Object.entries(config.accounts).map(
    ([alias, a]) => `${alias} ${a.id}${a.name && a.name !== alias ? ` (${a.name})` : ""}`,
  );
  const lines = [
    "aws-access sandbox: the real bot, with local stand-ins for Slack, Identity Center and DynamoDB.",
    `  store:           ${parts.storeDescription}`,
    ...(parts.pageUrl
      ? [`  workspace page:  ${parts.pageUrl} (open it in a browser: Slack, Identity Center and a clock)`]
      : []),
    `  bot:             ${parts.eventsUrl} (Slack-signed requests from the page and this terminal)`,
    `  time:            grants from ${formatDuration(config.defaults.minDurationSeconds)} up; the page's clock can skip ahead to an expiry`,
    `  users:           ${parts.people.map((p) => `${p.name}${p.groups.length ? ` (${p.groups.join(", ")})` : ""}`).join(", ")}`,
    `  accounts:        ${accounts.join(", ")}`,
    `  permission sets: ${Object.keys(config.permissionSets).join(", ")}`,
    ...parts.baseline.map((line) => `  baseline:        ${line}`),
    "",
  ];
  if (example) {
    lines.push(
      `Try: as ${example.person.name}`,
      `     /aws-access ${example.text}`,
      "     then as an approver: approve <grant-id>, and: assignments",
    );
  }
  lines.push("Type help for every command.");
  return lines;
}

/** The `help` command. */
export const HELP = [
  "/aws-access <text>         the slash command as the current user (or just type <text>)",
  "as <name|email|slack id>   act as another user",
  "users                      users, their Slack ids and Identity Center groups",
  "approve <grant-id>         click Approve on the request",
  "deny <grant-id> [reason]   click Deny and submit the reason form",
  "revoke-now <grant-id>      click Revoke now in the requester's DM",
  "grants                     open grants in the store",
  "assignments                account assignments in Identity Center (users and groups)",
  "help                       this list",
  "quit                       stop everything (also Ctrl-D)",
];
