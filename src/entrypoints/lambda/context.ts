import { readFile } from "node:fs/promises";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { loadSlackSecrets, type SlackSecrets } from "../../adapters/aws/secrets.js";
import { dynamoClient } from "../../adapters/dynamodb/client.js";
import { DynamoLeaseStore } from "../../adapters/dynamodb/lease.js";
import { DynamoGrantStore } from "../../adapters/dynamodb/store.js";
import { metric } from "../../adapters/log/json-logger.js";
import { LambdaLogger } from "../../adapters/log/lambda-logger.js";
import { EventBridgeRevocationScheduler } from "../../adapters/scheduler/eventbridge.js";
import { SlackChat } from "../../adapters/slack/chat.js";
import { createSlackClient } from "../../adapters/slack/client.js";
import type { AppDeps, Jobs, NoticeDelivery, Timings } from "../../app/deps.js";
import type { EngineOptions } from "../../app/engine.js";
import type { Chat, Clock, LeaseStore, Logger, RevocationScheduler } from "../../app/ports.js";
import { driveGrant } from "../../app/sweep.js";
import type { AccessConfig } from "../../domain/config.js";
import { buildIdentityCenter } from "../identity-center.js";

/** What one Lambda container keeps between invocations: built on the first, reused after. */
export interface LambdaContext {
  deps: AppDeps;
  /** The Slack credentials, read on first use only: nothing on the revocation path needs them. */
  secrets: () => Promise<SlackSecrets>;
  leases: LeaseStore;
  log: LambdaLogger;
}

/** What Lambda passes besides the event; tests may leave it out. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** Without a Lambda context (tests), an invocation may run this long. */
const DEFAULT_RUN_MS = 60_000;

/** The deadline of this invocation: its remaining time, less what a clean stop takes. */
export function deadlineOf(ctx: LambdaContext, context: InvocationContext | undefined): number {
  const remaining = context?.getRemainingTimeInMillis() ?? DEFAULT_RUN_MS;
  return ctx.deps.clock.now() + remaining - 10_000;
}

/** Overrides for tests that drive the handlers in-process against local fakes. */
export interface LambdaOverrides {
  /** How grants are handed on; by default the grant is driven right here. */
  jobs?: Jobs | ((log: Logger) => Jobs);
  /** How recorded notices get delivered; by default the worker is invoked to send them. */
  notices?: (deps: AppDeps) => NoticeDelivery;
  scheduler?: RevocationScheduler;
  secrets?: SlackSecrets;
  /** Moves time forward so expiry is reached without waiting. */
  clock?: Clock;
  /** Claim timings, shortened in tests. */
  timings?: Partial<Timings>;
  /** How the revoker goes on with a backlog left at its deadline; by default it invokes itself. */
  continueLater?: () => Promise<void>;
  /** Engine settings (lookahead, settle, poll), shortened in tests. */
  engine?: Partial<Pick<EngineOptions, "lookaheadMs" | "leaseMs" | "pollMs" | "settleMs" | "sleep">>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** Where the stack puts the config: access.yml validated at synth time and written as JSON. */
export const BUNDLED_CONFIG = "/var/task/access.json";

/** The config as the stack bundled it: already validated by `cdk synth`, so no YAML or schema code ships. */
async function config(): Promise<AccessConfig> {
  const path = process.env.ACCESS_CONFIG ?? BUNDLED_CONFIG;
  const parsed: unknown = JSON.parse(await readFile(path, "utf8"));
  if (typeof parsed !== "object" || parsed === null || !Array.isArray((parsed as AccessConfig).rules)) {
    throw new Error(`${path} is not a config written by the stack (run cdk deploy again)`);
  }
  return parsed as AccessConfig;
}

/** Notices go to the worker, which holds the Slack credentials: an asynchronous invocation, at most one a second. */
export function workerNotices(client: LambdaClient, log: Logger): NoticeDelivery {
  let last = 0;
  return {
    kick: async () => {
      const name = process.env.WORKER_FUNCTION_NAME;
      if (!name || Date.now() - last < 1_000) return;
      last = Date.now();
      try {
        await client.send(
          new InvokeCommand({
            FunctionName: name,
            InvocationType: "Event",
            Payload: new TextEncoder().encode(JSON.stringify({ notices: true })),
          }),
        );
      } catch (error) {
        // The worker's next run and the sweep deliver them anyway; this only costs time.
        log.warn("worker not invoked for notices", { error: String(error) });
      }
    },
  };
}

/** Builds every adapter once per cold start; secrets are read here and never logged. */
export async function buildLambdaContext(
  name: string,
  overrides: LambdaOverrides = {},
): Promise<LambdaContext> {
  const log = new LambdaLogger(name);
  const clock = overrides.clock ?? { now: () => Date.now() };
  const given = overrides.secrets;
  let reading: Promise<SlackSecrets> | undefined;
  const secrets = (): Promise<SlackSecrets> => {
    if (given) return Promise.resolve(given);
    reading ??= loadSlackSecrets(new SecretsManagerClient({}), required("SLACK_SECRET_NAME")).catch(
      (error) => {
        reading = undefined;
        throw error;
      },
    );
    return reading;
  };
  const cfg = await config();
  const chat = lazyChat(async () => {
    const { botToken } = await secrets();
    return new SlackChat(createSlackClient(botToken, process.env.SLACK_API_URL, log), log, {
      maxRateLimitWaits: 0,
      now: () => clock.now(),
    });
  });
  const scheduler =
    overrides.scheduler ??
    new EventBridgeRevocationScheduler({
      client: new SchedulerClient({}),
      groupName: required("SCHEDULE_GROUP"),
      targetArn: required("REVOKER_ARN"),
      roleArn: required("SCHEDULER_ROLE_ARN"),
      clock,
      ...(process.env.DEAD_LETTER_ARN ? { deadLetterArn: process.env.DEAD_LETTER_ARN } : {}),
    });
  // Each await ends by the invocation's deadline (given per drive); the grant is resumed, never sent again.
  const identity = buildIdentityCenter(cfg, { clock, logger: log });
  const givenJobs = overrides.jobs;
  const inline: Jobs = { drive: async (grantId) => void (await driveGrant(deps, grantId)) };
  const jobs = typeof givenJobs === "function" ? givenJobs(log) : (givenJobs ?? inline);
  const dynamo = dynamoClient();
  const table = required("GRANTS_TABLE");
  const deps: AppDeps = {
    config: cfg,
    store: new DynamoGrantStore(dynamo, table),
    identity,
    chat,
    scheduler,
    clock,
    log,
    jobs,
    notices: { kick: async () => {} },
    // Counted from audit event types, written as CloudWatch embedded metrics (no API call).
    metrics: { count: (metricName, value = 1) => metric(metricName, value) },
    ...(overrides.timings ? { timings: overrides.timings } : {}),
  };
  deps.notices = overrides.notices?.(deps) ?? workerNotices(new LambdaClient({}), log);
  return { deps, secrets, leases: new DynamoLeaseStore(dynamo, table), log };
}

/** A Chat whose Slack client is built on first use, so a function that never talks to Slack never reads its secret. */
function lazyChat(build: () => Promise<Chat>): Chat {
  let chat: Promise<Chat> | undefined;
  const get = () => {
    chat ??= build().catch((error: unknown) => {
      chat = undefined;
      throw error;
    });
    return chat;
  };
  return {
    user: async (slackId) => (await get()).user(slackId),
    postRequest: async (grant, channel, parts) => (await get()).postRequest(grant, channel, parts),
    updateRequest: async (ref, grant, parts) => (await get()).updateRequest(ref, grant, parts),
    notifyRequester: async (grant, notice, config, extras) =>
      (await get()).notifyRequester(grant, notice, config, extras),
    audit: async (channel, grant, event) => (await get()).audit(channel, grant, event),
    // Slack's adapter has every optional method: each is passed on as it is.
    userIdByEmail: async (email) => (await get()).userIdByEmail?.(email),
    postNudge: async (ref, grant, approvers) => (await get()).postNudge?.(ref, grant, approvers),
    postExtension: async (grant, channel, thread) => {
      const slack = await get();
      if (!slack.postExtension) throw new Error("this Slack adapter cannot post extension requests");
      return slack.postExtension(grant, channel, thread);
    },
    updateExtension: async (ref, grant) => (await get()).updateExtension?.(ref, grant),
    publishHome: async (slackId, home) => (await get()).publishHome?.(slackId, home),
    auditRefusal: async (channel, actor, refusal, heldBack) =>
      (await get()).auditRefusal?.(channel, actor, refusal, heldBack),
  };
}
