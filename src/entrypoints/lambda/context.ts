import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { loadSlackSecrets, type SlackSecrets } from "../../adapters/aws/secrets.js";
import { DynamoGrantStore } from "../../adapters/dynamodb/store.js";
import { IdentityCenterAdapter } from "../../adapters/identity-center/adapter.js";
import { JsonLogger, metric } from "../../adapters/log/json-logger.js";
import { EventBridgeRevocationScheduler } from "../../adapters/scheduler/eventbridge.js";
import { SlackChat } from "../../adapters/slack/chat.js";
import { createSlackClient } from "../../adapters/slack/client.js";
import type { AppDeps, Jobs } from "../../app/deps.js";
import type { Clock, RevocationScheduler } from "../../app/ports.js";
import { loadConfig, parseConfig } from "../../config/load.js";
import type { AccessConfig } from "../../domain/config.js";

/** What one Lambda container keeps between invocations: built on the first, reused after. */
export interface LambdaContext {
  deps: AppDeps;
  secrets: SlackSecrets;
  log: JsonLogger;
}

/** Overrides for tests that drive the handlers in-process against local fakes. */
export interface LambdaOverrides {
  jobs?: Jobs;
  scheduler?: RevocationScheduler;
  secrets?: SlackSecrets;
  /** Moves time forward so expiry is reached without waiting. */
  clock?: Clock;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

async function config(): Promise<AccessConfig> {
  const inline = process.env.ACCESS_CONFIG_YAML;
  return inline
    ? parseConfig(inline, "ACCESS_CONFIG_YAML")
    : loadConfig(process.env.ACCESS_CONFIG ?? "access.yml");
}

/** Hands a grant to the worker function with an asynchronous invocation: the caller never waits for AWS polling. */
export function lambdaJobs(client: LambdaClient, functionName: string, log: JsonLogger): Jobs {
  return {
    drive: async (grantId) => {
      try {
        await client.send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: "Event",
            Payload: new TextEncoder().encode(JSON.stringify({ grantId })),
          }),
        );
      } catch (error) {
        // The one-minute sweep drives the grant anyway; this only costs time.
        log.error("worker not invoked; the sweep will pick the grant up", { grantId, error: String(error) });
      }
    },
  };
}

/** Audit types that count as an outcome, and the metric each one adds to. */
const OUTCOME_METRICS: Record<string, string> = {
  "grant activated": "granted",
  "grant denied": "denied",
  "grant failed": "failed",
  "grant revoked": "revoked",
  "grant revoke-failed": "revoke-failed",
};

/** The JSON logger, plus one metric per outcome line (CloudWatch embedded metric format, no API call). */
export class OutcomeLogger extends JsonLogger {
  override info(msg: string, fields?: Record<string, unknown>): void {
    super.info(msg, fields);
    const name = OUTCOME_METRICS[msg];
    if (name) metric(name, 1);
  }
}

/** Builds every adapter once per cold start; secrets are read here and never logged. */
export async function buildLambdaContext(
  name: string,
  overrides: LambdaOverrides = {},
): Promise<LambdaContext> {
  const log = new OutcomeLogger({ base: { function: name } });
  const clock = overrides.clock ?? { now: () => Date.now() };
  const secrets =
    overrides.secrets ??
    (await loadSlackSecrets(new SecretsManagerClient({}), required("SLACK_SECRET_NAME")));
  const cfg = await config();
  const slackApiUrl = process.env.SLACK_API_URL;
  const chat = new SlackChat(createSlackClient(secrets.botToken, slackApiUrl, log), log);
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
  const identity = new IdentityCenterAdapter({
    ssoAdmin: new SSOAdminClient({ maxAttempts: 1 }),
    identityStore: new IdentitystoreClient({ maxAttempts: 1 }),
    ...(cfg.identityCenter.instanceArn ? { instanceArn: cfg.identityCenter.instanceArn } : {}),
    ...(cfg.identityCenter.identityStoreId ? { identityStoreId: cfg.identityCenter.identityStoreId } : {}),
    clock,
    logger: log,
  });
  const jobs = overrides.jobs ?? lambdaJobs(new LambdaClient({}), required("WORKER_FUNCTION_NAME"), log);
  const deps: AppDeps = {
    config: cfg,
    store: new DynamoGrantStore(new DynamoDBClient({}), required("GRANTS_TABLE")),
    identity,
    chat,
    scheduler,
    clock,
    log,
    jobs,
  };
  return { deps, secrets, log };
}
