import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import type { IdentityCenterAdapter } from "../adapters/identity-center/adapter.js";
import type { WebClient } from "../adapters/slack/client.js";
import type { AccessConfig } from "../domain/config.js";
import { groupNamesIn } from "../domain/policy.js";
import { type Finding, sessionFinding } from "./doctor-sessions.js";

/** What doctor looks at: the config, Identity Center through the bot's own adapter, and Slack. */
export interface DoctorParts {
  config: AccessConfig;
  configPath: string;
  /** Built without the config's identity store id, so the instance and its store are looked up and compared. */
  identity: Pick<
    IdentityCenterAdapter,
    "instance" | "describePermissionSets" | "groupExists" | "userIdByEmail"
  >;
  /** Undefined without SLACK_BOT_TOKEN. */
  slack?: WebClient;
  /** SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set. */
  slackReceiverSet: boolean;
  /** The bot scopes manifest.yml asks for; undefined when it cannot be read. */
  manifestScopes?: string[];
}

type Note = (level: Finding["level"], what: string) => void;

/**
 * Checks the config against Identity Center and Slack; prints one line per check (ok, WARN, FAIL) and a count.
 * Returns 1 when anything failed; warnings (long sessions, checks it could not make) leave it at 0.
 */
export async function runDoctor(
  parts: DoctorParts,
  print: (line: string) => void = console.log,
): Promise<number> {
  const findings: Finding[] = [];
  const note: Note = (level, what) => findings.push({ level, what });
  const { config } = parts;
  const count = (record: object) => Object.keys(record).length;
  note(
    "ok",
    `config ${parts.configPath}: ${count(config.accounts)} accounts, ${count(config.permissionSets)} permission sets, ${config.rules.length} rules`,
  );
  await identityCenterChecks(parts, note);
  await slackChecks(parts, note);
  for (const finding of findings) print(`${finding.level.padEnd(4)} ${finding.what}`);
  const total = (level: Finding["level"]) => findings.filter((f) => f.level === level).length;
  print(`${total("ok")} ok, ${total("WARN")} warning(s), ${total("FAIL")} problem(s)`);
  return total("FAIL") === 0 ? 0 : 1;
}

async function identityCenterChecks(parts: DoctorParts, note: Note): Promise<void> {
  const { config, identity } = parts;
  let instance: { instanceArn: string; identityStoreId: string };
  try {
    instance = await identity.instance();
  } catch (error) {
    note("FAIL", `Identity Center: ${message(error)}`);
    return;
  }
  const configured = config.identityCenter.identityStoreId;
  if (configured && configured !== instance.identityStoreId) {
    note(
      "FAIL",
      `identityCenter.identityStoreId ${configured} is not the identity store of ${instance.instanceArn} (${instance.identityStoreId})`,
    );
    return;
  }
  note("ok", `Identity Center instance ${instance.instanceArn}, identity store ${instance.identityStoreId}`);
  await permissionSetChecks(parts, note);
  for (const group of groupNamesIn(config)) {
    await check(note, `group "${group}"`, async () =>
      (await identity.groupExists(group))
        ? ["ok", `group "${group}" exists`]
        : ["FAIL", `group "${group}": no such group in Identity Center; rules naming it match nobody`],
    );
  }
  for (const email of emailsIn(config)) {
    await check(note, `user ${email}`, async () =>
      (await identity.userIdByEmail(email))
        ? ["ok", `user ${email} exists`]
        : ["FAIL", `user ${email}: no Identity Center user has this email`],
    );
  }
}

async function permissionSetChecks(parts: DoctorParts, note: Note): Promise<void> {
  const names = Object.entries(parts.config.permissionSets);
  let details: Awaited<ReturnType<DoctorParts["identity"]["describePermissionSets"]>>;
  try {
    details = await parts.identity.describePermissionSets(names.map(([, arn]) => arn));
  } catch (error) {
    note("FAIL", `permission sets: ${message(error)}`);
    return;
  }
  for (const [index, [name, arn]] of names.entries()) {
    const found = details[index];
    if (!found?.found) {
      note("FAIL", `permission set ${name}: ${arn}: not found in Identity Center`);
      continue;
    }
    const named = found.name !== name ? ` (named ${found.name} in Identity Center)` : "";
    note("ok", `permission set ${name}: ${arn}${named}`);
    const session = sessionFinding(parts.config, name, found.sessionDuration, found.name);
    note(session.level, session.what);
  }
}

async function slackChecks(parts: DoctorParts, note: Note): Promise<void> {
  if (!parts.slackReceiverSet) note("FAIL", "Slack: SLACK_SIGNING_SECRET is not set");
  const { slack } = parts;
  if (!slack) {
    note("FAIL", "Slack: SLACK_BOT_TOKEN is not set");
    return;
  }
  let scopes: string[] | undefined;
  try {
    const auth = await slack.auth.test();
    note("ok", `Slack: signed in to ${auth.team ?? "workspace"} as ${auth.user ?? "bot"}`);
    scopes = auth.response_metadata?.scopes;
  } catch (error) {
    note("FAIL", `Slack: ${message(error)}`);
    return;
  }
  const scopeFinding = scopeCheck(parts.manifestScopes, scopes);
  note(scopeFinding.level, scopeFinding.what);
  await channelChecks(parts.config, slack, note);
}

function scopeCheck(wanted: string[] | undefined, granted: string[] | undefined): Finding {
  if (!wanted) {
    return {
      level: "WARN",
      what: "Slack: manifest.yml cannot be read, so the token's scopes are not checked",
    };
  }
  if (!granted) return { level: "WARN", what: "Slack: auth.test did not say which scopes the token has" };
  const missing = wanted.filter((scope) => !granted.includes(scope));
  if (missing.length === 0)
    return { level: "ok", what: "Slack: the token has every scope manifest.yml asks for" };
  return {
    level: "FAIL",
    what: `Slack: the token lacks ${missing.join(", ")}, which manifest.yml asks for: add them under OAuth & Permissions and reinstall the app`,
  };
}

/** Every channel the config posts to, with what it is for. */
function channelsOf(config: AccessConfig): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  const add = (channel: string, use: string) => uses.set(channel, [...(uses.get(channel) ?? []), use]);
  add(config.slack.approvalChannel, "the approval channel");
  for (const rule of config.rules) if (rule.channel) add(rule.channel, `rule ${rule.name}'s channel`);
  if (config.slack.auditChannel) add(config.slack.auditChannel, "the audit channel");
  return uses;
}

async function channelChecks(config: AccessConfig, slack: WebClient, note: Note): Promise<void> {
  for (const [channel, uses] of channelsOf(config)) {
    const what = `${channel} (${uses.join(", ")})`;
    try {
      const info = await slack.conversations.info({ channel });
      const name = info.channel?.name ? `#${info.channel.name} ` : "";
      if (info.channel?.is_member) note("ok", `Slack: the bot is in ${name}${what}`);
      else note("FAIL", `Slack: the bot is not in ${name}${what}: invite it there (/invite @aws-access)`);
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code === "missing_scope") {
        note(
          "WARN",
          `Slack: cannot tell whether the bot is in ${what}: the token lacks channels:read (groups:read for private channels)`,
        );
      } else if (code === "channel_not_found") {
        note(
          "FAIL",
          `Slack: ${what} not found, or private and the bot is not in it: invite the bot or fix the id`,
        );
      } else {
        note("FAIL", `Slack: ${what}: ${message(error)}`);
      }
    }
  }
}

async function check(
  note: Note,
  what: string,
  run: () => Promise<[Finding["level"], string]>,
): Promise<void> {
  try {
    note(...(await run()));
  } catch (error) {
    note("FAIL", `${what}: ${message(error)}`);
  }
}

function emailsIn(config: AccessConfig): string[] {
  const emails = config.rules.flatMap((rule) => [
    ...(rule.requesters?.emails ?? []),
    ...(rule.approvers?.emails ?? []),
  ]);
  return [...new Set(emails.map((e) => e.toLowerCase()))];
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The bot scopes manifest.yml asks for (oauth_config.scopes.bot); undefined when it cannot be read. */
export async function manifestBotScopes(
  path: URL | string = new URL("../../manifest.yml", import.meta.url),
): Promise<string[] | undefined> {
  try {
    const manifest = parse(await readFile(path, "utf8")) as { oauth_config?: { scopes?: { bot?: unknown } } };
    const bot = manifest?.oauth_config?.scopes?.bot;
    return Array.isArray(bot) ? bot.map(String) : undefined;
  } catch {
    return undefined;
  }
}
