import { createGrantsTable } from "../adapters/dynamodb/table.js";
import { SlackChat } from "../adapters/slack/chat.js";
import { createSlackClient } from "../adapters/slack/client.js";
import type { AppDeps } from "../app/deps.js";
import { announce, logEvent } from "../app/notify.js";
import type { Chat, Logger, RevocationScheduler } from "../app/ports.js";
import { finishRevocation, startRevocation } from "../app/revoke.js";
import { driveGrant, sweepDue } from "../app/sweep.js";
import { apply } from "../app/write.js";
import { formatDuration } from "../domain/duration.js";
import { GrantNotFound } from "../domain/errors.js";
import type { Grant } from "../domain/grant.js";
import { runDoctor } from "./doctor.js";
import { awsParts, type Env, systemClock } from "./runtime.js";

/** Who the audit trail names for what an operator does from the CLI. */
const OPERATOR = "operator";

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
  };
  return deps;
}

export async function initTable(env: Env, log: Logger): Promise<number> {
  const aws = await awsParts(env, log);
  const outcome = await createGrantsTable(aws.dynamo, env.grantsTable);
  console.log(
    outcome === "created"
      ? `created table ${env.grantsTable}`
      : `table ${env.grantsTable} exists; nothing to do`,
  );
  return 0;
}

export async function listOpenGrants(env: Env, log: Logger): Promise<number> {
  const deps = await operatorDeps(env, log);
  const rows: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.due(Number.MAX_SAFE_INTEGER, cursor, 100);
    cursor = page.cursor;
    for (const g of page.items) rows.push(row(g));
  } while (cursor);
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
  const grant = await deps.store.get(grantId.replaceAll("`", "").toLowerCase());
  if (!grant) throw new GrantNotFound(grantId);
  if (grant.status === "pending") {
    const result = await apply(deps, grant, { type: "cancel", by: OPERATOR });
    logEvent(deps, result.audit);
    await announce(deps, result.grant, result.audit, "cancelled");
  } else if (grant.status === "active") {
    await finishRevocation(deps, await startRevocation(deps, grant, OPERATOR, "revoked by the operator"));
  } else if (grant.status === "revoking") {
    await finishRevocation(deps, grant);
  } else {
    console.log(`${grant.id} is ${grant.status}; nothing to revoke`);
    return 0;
  }
  const after = await deps.store.get(grant.id);
  console.log(`${grant.id}: ${grant.status} -> ${after?.status}`);
  return after?.status === "ended" || after?.status === "cancelled" ? 0 : 1;
}

export async function sweepOnce(env: Env, log: Logger): Promise<number> {
  const deps = await operatorDeps(env, log);
  const report = await sweepDue(deps);
  console.log(`swept: ${report.seen} due, ${report.errors} error(s), ${report.overdue} overdue`);
  return report.errors === 0 ? 0 : 1;
}

export async function doctor(env: Env, log: Logger): Promise<number> {
  const aws = await awsParts(env, log);
  return runDoctor(aws, env, log);
}
