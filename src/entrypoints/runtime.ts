import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { dynamoClient } from "../adapters/dynamodb/client.js";
import { DynamoGrantStore } from "../adapters/dynamodb/store.js";
import type { IdentityCenterAdapter } from "../adapters/identity-center/adapter.js";
import type { Clock, Logger } from "../app/ports.js";
import { loadConfig } from "../config/load.js";
import type { AccessConfig } from "../domain/config.js";
import { buildIdentityCenter } from "./identity-center.js";

/** The environment of DESIGN.md, read once. */
export interface Env {
  configPath: string;
  grantsTable: string;
  signingSecret?: string;
  botToken?: string;
  appToken?: string;
  slackApiUrl?: string;
  port: number;
}

/** Reads the variables of DESIGN.md's environment table; secrets are kept out of every log line. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const port = Number(env.PORT ?? 3000);
  return {
    configPath: env.ACCESS_CONFIG ?? "access.yml",
    grantsTable: env.GRANTS_TABLE ?? "aws-access-grants",
    ...(env.SLACK_SIGNING_SECRET ? { signingSecret: env.SLACK_SIGNING_SECRET } : {}),
    ...(env.SLACK_BOT_TOKEN ? { botToken: env.SLACK_BOT_TOKEN } : {}),
    ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
    ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    port: Number.isInteger(port) && port >= 0 && port < 65536 ? port : 3000,
  };
}

export const systemClock: Clock = { now: () => Date.now() };

/** The AWS side of the bot: config, store and Identity Center, with clients built from the SDK's own settings. */
export interface AwsParts {
  config: AccessConfig;
  dynamo: DynamoDBClient;
  store: DynamoGrantStore;
  identity: IdentityCenterAdapter;
}

/** Builds the real AWS adapters; the SDK reads region, credentials and AWS_ENDPOINT_URL_* itself. */
export async function awsParts(env: Env, log: Logger): Promise<AwsParts> {
  const config = await loadConfig(env.configPath);
  const dynamo = dynamoClient();
  const store = new DynamoGrantStore(dynamo, env.grantsTable);
  const identity = buildIdentityCenter(config, { clock: systemClock, logger: log });
  return { config, dynamo, store, identity };
}
