import { createGrantsTable } from "../adapters/dynamodb/table.js";
import { SlackChat } from "../adapters/slack/chat.js";
import { createSlackClient } from "../adapters/slack/client.js";
import { deliverNotices } from "../app/deliver.js";
import type { AppDeps } from "../app/deps.js";
import { endAsOperator, everyOpenGrant } from "../app/operator.js";
import type { Chat, Logger, RevocationScheduler } from "../app/ports.js";
import { driveGrant, sweepDue } from "../app/sweep.js";
import { loadConfig } from "../config/load.js";
import { formatDuration } from "../domain/duration.js";
import { type Grant, TERMINAL_STATUSES } from "../domain/grant.js";
import { manifestBotScopes, runDoctor } from "./doctor.js";
import { buildIdentityCenter } from "./identity-center.js";
import { awsParts, type Env, systemClock } from "./runtime.js";

/** Without a bot token the CLI cannot tell anyone in Slack; it says so in the log instead. */
class LogOnlyChat implements Chat {
  constructor(private readonly log: Logger) {}
  async user(slackId: string) {
    return { slackId };
  }
  async postRequest(): Promise<never> {
    throw new Error("no SLACK_BOT_TOKEN: cannot post to Slack");
  }
  async updateRequest(_ref: unknown, grant: Grant) {
    this.log.info("slack not configured: approval message not updated", { grantId: grant.id });
  }
  async notifyRequester(grant: Grant, notice: string) {
    this.log.info("slack not configured: requester not told", { grantId: grant.id, notice });
  }
  async audit() {}
}

/** The operator's CLI leaves timing to the running bot's sweep. */
const noScheduler: RevocationScheduler = { schedule: async () => {}, cancel: async () => {} };

async function operatorDeps(env: Env, log: Logger): Promise<AppDeps> {
  const aws = await awsParts(env, log);
  const chat = env.botToken
    ? new SlackChat(createSlackClient(env.botToken, env.slackApiUrl, log), log)
    : new LogOnlyChat(log);
  const deps: AppDeps = {
    config: aws.config,
    store: aws.store,
    identity: aws.identity,
    chat,
    scheduler: noScheduler,
    clock: systemClock,
    log,
    jobs: { drive: async (id) => void (await driveGrant(deps, id)) },
    // With a bot token the operator's changes are told at once; without one the running bot's sender tells them.
    notices: {
      kick: async () => {
        if (env.botToken) await deliverNotices(deps);
      },
    },
  };
  return deps;
}

export async function initTable(env: Env, log: Logger): Promise<number> {
  const aws = await awsParts(env, log);
  const outcome = await createGrantsTable(aws.dynamo, env.grantsTable);
  const said = {
    created: `created table ${env.grantsTable}`,
    exists: `table ${env.grantsTable} exists; nothing to do`,
    updated: `table ${env.grantsTable} exists; added the indexes it lacked (DynamoDB fills them in the background)`,
  };
  console.log(said[outcome]);
  return 0;
}

export async function listOpenGrants(env: Env, log: Logger): Promise<number> {
  const rows = (await everyOpenGrant(await operatorDeps(env, log))).map(row);
  console.log(
    [
      "id        status        requester                      account      permission set        expires",
      ...rows,
    ].join("\n"),
  );
  console.log(`${rows.length} open grant(s)`);
  return 0;
}

function row(g: Grant): string {
  const expires = g.expiresAt
    ? new Date(g.expiresAt).toISOString()
    : `(${formatDuration(g.durationSeconds)} once active)`;
  return [
    g.id.padEnd(9),
    g.status.padEnd(13),
    g.requester.email.padEnd(30),
    g.account.alias.padEnd(12),
    g.permissionSet.name.padEnd(21),
    expires,
  ].join(" ");
}

export async function revokeAsOperator(env: Env, log: Logger, grantId: string): Promise<number> {
  const deps = await operatorDeps(env, log);
  const { before, after } = await endAsOperator(deps, grantId);
  if (before === after.status && TERMINAL_STATUSES.includes(before)) {
    console.log(`${after.id} is ${before}; nothing to revoke`);
    return 0;
  }
  console.log(`${after.id}: ${before} -> ${after.status}`);
  return after.status === "ended" || after.status === "cancelled" ? 0 : 1;
}

export async function sweepOnce(env: Env, log: Logger): Promise<number> {
  const deps = await operatorDeps(env, log);
  const report = await sweepDue(deps);
  console.log(`swept: ${report.seen} due, ${report.errors} error(s), ${report.overdue} overdue`);
  return report.errors === 0 ? 0 : 1;
}

/** `doctor`: the config against Identity Center (through the bot's adapter, with its limits) and Slack. */
export async function doctor(env: Env, log: Logger): Promise<number> {
  const config = await loadConfig(env.configPath);
  // Without the configured identity store id the adapter looks the instance up, so doctor can compare the two.
  const { identityStoreId: _configured, ...identityCenter } = config.identityCenter;
  const identity = buildIdentityCenter({ ...config, identityCenter }, { clock: systemClock, logger: log });
  return runDoctor({
    config,
    configPath: env.configPath,
    identity,
    ...(env.botToken ? { slack: createSlackClient(env.botToken, env.slackApiUrl, log) } : {}),
    slackReceiverSet: Boolean(env.signingSecret || env.appToken),
    manifestScopes: await manifestBotScopes(),
  });
}
