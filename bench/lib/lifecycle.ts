import { randomBytes } from "node:crypto";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import { createGrantsTable } from "../../src/adapters/dynamodb/table.js";
import { IdentityCenterAdapter } from "../../src/adapters/identity-center/index.js";
import { ACTIONS } from "../../src/adapters/slack/action-ids.js";
import { parseConfig } from "../../src/config/load.js";
import { startBot } from "../../src/entrypoints/bot.js";
import { identityCenterClients } from "../../src/entrypoints/identity-center.js";
import { IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { DynamoProxy } from "../../test/support/dynamo-proxy.js";
import { localDynamo } from "../../test/support/dynamodb-local.js";
import { OffsetClock, PEOPLE } from "../../test/support/e2e.js";
import { recordingLogger } from "../../test/support/ic.js";
import {
  blockActionPayload,
  deliver,
  signedBlockAction,
  signedSlashCommand,
  slashCommandFields,
} from "../../test/support/slack.js";
import type { Cleanup } from "./cleanup.js";
import { QUOTAS } from "./expiry-world.js";
import { progress } from "./stats.js";
import { type BenchUser, benchUser, CONFIG_YAML, slackUsers, worldSeed } from "./world.js";

/** AWS calls of full lifecycles (request, approve, active, expire, ended), by operation, per lifecycle. */
export interface LifecycleCalls {
  lifecycles: number;
  perLifecycle: Record<string, number>;
  total: number;
  throttled: number;
  /** DynamoDB calls from the clock moved past expiry to every grant ended (the revocations and their notices). */
  dynamoPerExpiry: Record<string, number>;
}

const LOCAL = { accessKeyId: "local", secretAccessKey: "local" };
const until = async (check: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return check();
};

/**
 * The real bot in this process (Bolt receiver, use cases, the adapter with its production poll and retry
 * policies) against the simulator at Identity Center's quotas. The bot's clock can be moved past expiry; the
 * adapter keeps real time, so its caches stay warm across the jump.
 */
async function startLifecycleBot(dynamoEndpoint: string, cleanup: Cleanup, users: BenchUser[]) {
  const sim = new IdentityCenterSimulator({ seed: worldSeed(users), faults: QUOTAS });
  const ic = await sim.start();
  cleanup.defer("lifecycle simulator", () => ic.close());
  const slack = new FakeSlack({ users: slackUsers(users) });
  const fake = await slack.start();
  cleanup.defer("lifecycle fake Slack", () => fake.close());
  // Counted on the way: which DynamoDB calls an expiry costs.
  const proxy = new DynamoProxy(dynamoEndpoint);
  const proxied = await proxy.start();
  cleanup.defer("lifecycle DynamoDB proxy", () => proxy.stop());
  const dynamo = localDynamo(proxied);
  cleanup.defer("lifecycle DynamoDB client", () => dynamo.destroy());
  const table = `bench-lifecycle-${randomBytes(4).toString("hex")}`;
  await createGrantsTable(dynamo, table);
  const store = new DynamoGrantStore(dynamo, table);
  const config = parseConfig(CONFIG_YAML, "bench access.yml");
  const clients = identityCenterClients({ endpoint: ic.endpoint, region: "us-east-1", credentials: LOCAL });
  cleanup.defer("lifecycle SDK clients", () => {
    clients.ssoAdmin.destroy();
    clients.identityStore.destroy();
  });
  const log = recordingLogger();
  const identity = new IdentityCenterAdapter({
    ...clients,
    instanceArn: config.identityCenter.instanceArn,
    identityStoreId: config.identityCenter.identityStoreId,
    logger: log,
  });
  const clock = new OffsetClock();
  const secret = randomBytes(16).toString("hex");
  const bot = await startBot({
    config,
    store,
    identity,
    log,
    clock,
    sweepIntervalMs: 1_000,
    slack: { signingSecret: secret, botToken: "xoxb-bench", slackApiUrl: fake.apiUrl, port: 0 },
  });
  cleanup.defer("lifecycle bot", () => bot.stop());
  return { sim, slack, store, clock, secret, proxy, url: `http://127.0.0.1:${bot.port}/slack/events` };
}

type LifecycleBot = Awaited<ReturnType<typeof startLifecycleBot>>;

/** Requests prod ReadOnly for 15 minutes as `user`, has an approver approve it and waits until it is active. */
async function toActive(bot: LifecycleBot, user: BenchUser, before: Set<string>): Promise<string> {
  const responseId = `lc-${randomBytes(4).toString("hex")}`;
  const responseUrl = bot.slack.responseUrl(responseId);
  const fields = slashCommandFields({
    user_id: user.slackId,
    text: "prod ReadOnly 15m lifecycle bench",
    response_url: responseUrl,
  });
  await deliver(bot.url, signedSlashCommand(bot.secret, fields));
  let grantId: string | undefined;
  await until(async () => {
    const [grant] = await bot.store.byRequester(user.slackId, 1);
    if (grant && !before.has(grant.id) && grant.status === "pending" && grant.message) grantId = grant.id;
    return grantId !== undefined;
  }, 90_000);
  if (!grantId) {
    const [grant] = await bot.store.byRequester(user.slackId, 1);
    const replies = JSON.stringify(bot.slack.responsesTo(responseId)).slice(0, 300);
    throw new Error(`no approval message for ${user.slackId}'s request (${grant?.status}): ${replies}`);
  }
  const id = grantId;
  const payload = blockActionPayload({
    actionId: ACTIONS.approve,
    value: id,
    userId: PEOPLE.admin.slackId,
    responseUrl: bot.slack.responseUrl(`click-${id}`),
  });
  await deliver(bot.url, signedBlockAction(bot.secret, payload));
  const active = await until(async () => (await bot.store.get(id))?.status === "active", 60_000);
  if (!active) throw new Error(`grant ${id} did not become active`);
  return id;
}

/**
 * Lifecycles of `users` at once: each to active, then the bot's clock past expiry, then each ended. Returns the
 * DynamoDB calls of the expiry part, by operation.
 */
async function round(bot: LifecycleBot, users: BenchUser[], seen: Set<string>): Promise<string[]> {
  const ids = await Promise.all(users.map((user) => toActive(bot, user, seen)));
  for (const id of ids) seen.add(id);
  const from = bot.proxy.seen.length;
  bot.clock.advance(16 * 60_000);
  const ended = await until(
    async () => {
      const grants = await Promise.all(ids.map((id) => bot.store.get(id)));
      return grants.every((grant) => grant?.status === "ended");
    },
    120_000,
    250,
  );
  if (!ended) throw new Error("lifecycles did not end");
  // The notices of the ends are delivered meanwhile; give the sender a moment to finish them.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  return bot.proxy.seen.slice(from);
}

function count(bot: LifecycleBot, lifecycles: number, dynamoCalls: string[]): LifecycleCalls {
  const calls = bot.sim.calls();
  const ok = calls.filter((call) => call.outcome === "ok");
  const perLifecycle: Record<string, number> = {};
  for (const call of ok) perLifecycle[call.operation] = (perLifecycle[call.operation] ?? 0) + 1 / lifecycles;
  const dynamoPerExpiry: Record<string, number> = {};
  for (const op of dynamoCalls) dynamoPerExpiry[op] = (dynamoPerExpiry[op] ?? 0) + 1 / lifecycles;
  return {
    lifecycles,
    dynamoPerExpiry,
    perLifecycle,
    total: ok.length / lifecycles,
    throttled: calls.filter((call) => call.outcome === "ThrottlingException").length,
  };
}

/**
 * Full lifecycles with warm caches (a first round of the same people fills them): `together` at once, whose status
 * polls are shared, and `alone` one after another, each polled on its own.
 */
export async function measureLifecycles(
  dynamoEndpoint: string,
  cleanup: Cleanup,
  options: { together: number; alone: number },
): Promise<{ together: LifecycleCalls; alone: LifecycleCalls }> {
  const users = Array.from({ length: options.together }, (_, n) => benchUser("B", n));
  const bot = await startLifecycleBot(dynamoEndpoint, cleanup, users);
  const seen = new Set<string>();
  progress(`lifecycles: warm-up round of ${users.length}`);
  await round(bot, users, seen);
  bot.sim.clearCalls();
  progress(`lifecycles: ${users.length} at once, warm`);
  const together = count(bot, users.length, await round(bot, users, seen));
  bot.sim.clearCalls();
  progress(`lifecycles: ${options.alone} one after another, warm`);
  const expiries: string[] = [];
  for (const user of users.slice(0, options.alone)) expiries.push(...(await round(bot, [user], seen)));
  const alone = count(bot, options.alone, expiries);
  return { together, alone };
}
