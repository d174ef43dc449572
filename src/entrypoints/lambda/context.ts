import { readFile } from "node:fs/promises";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { loadSlackSecrets, type SlackSecrets } from "../../adapters/aws/secrets.js";
import { DynamoGrantStore } from "../../adapters/dynamodb/store.js";
import { JsonLogger, metric } from "../../adapters/log/json-logger.js";
import { EventBridgeRevocationScheduler } from "../../adapters/scheduler/eventbridge.js";
import { SlackChat } from "../../adapters/slack/chat.js";
import { createSlackClient } from "../../adapters/slack/client.js";
import type { AppDeps, Jobs, NoticeDelivery } from "../../app/deps.js";
import type { Clock, Logger, RevocationScheduler } from "../../app/ports.js";
import { driveGrant } from "../../app/sweep.js";
import type { AccessConfig } from "../../domain/config.js";
import { buildIdentityCenter } from "../identity-center.js";

/** What one Lambda container keeps between invocations: built on the first, reused after. */
export interface LambdaContext {
  deps: AppDeps;
  secrets: SlackSecrets;
  log: JsonLogger;
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
  // Polling gives up well before the functions' own timeouts; the grant is retried, never left half-done.
  const identity = buildIdentityCenter(cfg, { clock, logger: log, poll: { timeoutMs: 150_000 } });
  const given = overrides.jobs;
  const inline: Jobs = { drive: async (grantId) => void (await driveGrant(deps, grantId)) };
  const jobs = typeof given === "function" ? given(log) : (given ?? inline);
  const deps: AppDeps = {
    config: cfg,
    store: new DynamoGrantStore(new DynamoDBClient({}), required("GRANTS_TABLE")),
    identity,
    chat,
    scheduler,
    clock,
    log,
    jobs,
    notices: { kick: async () => {} },
  };
  deps.notices = overrides.notices?.(deps) ?? workerNotices(new LambdaClient({}), log);
  return { deps, secrets, log };
}
