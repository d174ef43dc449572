import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import { createGrantsTable } from "../../src/adapters/dynamodb/table.js";
import { IdentityCenterSimulator, type SimSeed } from "../../src/sim/identity-center/index.js";
import { type FakeCall, FakeSlack, type FakeSlackUser } from "../../src/sim/slack/fake-slack.js";
import { freePort, localDynamo } from "../../test/support/dynamodb-local.js";
import { answers, type Child, startChild } from "./child.js";
import type { Cleanup } from "./cleanup.js";
import { CONFIG_YAML } from "./world.js";

/** The real `serve` command in its own process, with its stand-ins in this one (so their clocks are ours). */
export interface ServedBot {
  child: Child;
  /** Where Slack would post slash commands and interactivity. */
  url: string;
  secret: string;
  sim: IdentityCenterSimulator;
  slack: FakeSlack;
  dynamo: DynamoDBClient;
  store: DynamoGrantStore;
  table: string;
  /** Starts another serve process on the same stand-ins and table (the previous one must be stopped). */
  restart(options: { entry: string[]; nodeOptions?: string }): Promise<Child>;
}

export interface ServedOptions {
  seed: SimSeed;
  slackUsers: FakeSlackUser[];
  onSlackCall?: (call: FakeCall) => void;
  /** Node arguments naming the CLI; TSX_ENTRY (as `npm start` runs it) by default. */
  entry?: string[];
}

/** The CLI as `npm start` runs it: TypeScript through tsx's loader. */
export const TSX_ENTRY = ["--import", "tsx", "src/entrypoints/cli.ts"];

/** Starts the simulator, a fake Slack, a fresh table and `node --import tsx src/entrypoints/cli.ts serve`. */
export async function startServedBot(
  dynamoEndpoint: string,
  cleanup: Cleanup,
  label: string,
  options: ServedOptions,
): Promise<ServedBot> {
  const sim = new IdentityCenterSimulator({ seed: options.seed, faults: { delayMs: 20 } });
  const ic = await sim.start();
  cleanup.defer(`${label} simulator`, () => ic.close());
  const slack = new FakeSlack({
    users: options.slackUsers,
    ...(options.onSlackCall ? { onCall: options.onSlackCall } : {}),
  });
  const fake = await slack.start();
  cleanup.defer(`${label} fake Slack`, () => fake.close());
  const table = `bench-${label.replace(/[^A-Za-z0-9_.-]+/g, "-")}-${randomBytes(4).toString("hex")}`;
  const dynamo = localDynamo(dynamoEndpoint);
  cleanup.defer(`${label} DynamoDB client`, () => dynamo.destroy());
  await createGrantsTable(dynamo, table);
  const store = new DynamoGrantStore(dynamo, table);
  const dir = await mkdtemp(join(tmpdir(), "aws-access-bench-"));
  cleanup.defer(`${label} temp dir`, () => rm(dir, { recursive: true, force: true }));
  const configPath = join(dir, "access.yml");
  await writeFile(configPath, CONFIG_YAML);
  const secret = randomBytes(16).toString("hex");
  const port = await freePort();
  const env = {
    ACCESS_CONFIG: configPath,
    GRANTS_TABLE: table,
    PORT: String(port),
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SSO_ADMIN: ic.endpoint,
    AWS_ENDPOINT_URL_IDENTITYSTORE: ic.endpoint,
    SLACK_SIGNING_SECRET: secret,
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_API_URL: fake.apiUrl,
  };
  const serve = async (entry: string[], nodeOptions?: string) => {
    const child = await startChild(
      [...entry, "serve"],
      { ...env, ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) },
      () => answers(`http://127.0.0.1:${port}/healthz`),
    );
    cleanup.defer(`${label} serve ${child.pid}`, () => child.stop(3_000));
    return child;
  };
  const child = await serve(options.entry ?? TSX_ENTRY);
  const url = `http://127.0.0.1:${port}/slack/events`;
  const restart = (next: { entry: string[]; nodeOptions?: string }) => serve(next.entry, next.nodeOptions);
  return { child, url, secret, sim, slack, dynamo, store, table, restart };
}

/** The reference Bolt app (bare-main.ts) in its own process; resolves to its events URL. */
export async function startBareChild(secret: string, cleanup: Cleanup): Promise<string> {
  const port = await freePort();
  const child = await startChild(
    ["--import", "tsx", "bench/lib/bare-main.ts"],
    { BARE_SECRET: secret, BARE_PORT: String(port) },
    async (c) => c.tail.some((line) => line.startsWith("listening")),
  );
  cleanup.defer("bare Bolt", () => child.stop(3_000));
  return `http://127.0.0.1:${port}/slack/events`;
}
