import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { compileConfig } from "../../infra/stack.js";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import { createGrantsTable } from "../../src/adapters/dynamodb/table.js";
import { scheduleName } from "../../src/adapters/scheduler/eventbridge.js";
import { ACTIONS } from "../../src/adapters/slack/action-ids.js";
import type { Jobs } from "../../src/app/deps.js";
import type { LambdaOverrides } from "../../src/entrypoints/lambda/context.js";
import { buildRevokerHandler, type RevokerEvent } from "../../src/entrypoints/lambda/revoker.js";
import { buildSlackHandler } from "../../src/entrypoints/lambda/slack.js";
import { buildWorkerHandler, type WorkerEvent } from "../../src/entrypoints/lambda/worker.js";
import { IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { e2eSeed, OffsetClock, PEOPLE, type Person } from "./e2e.js";
import { functionUrlEvent, LAMBDA_CONFIG_YAML } from "./lambda-fixtures.js";
import { FakeSchedulerApi } from "./scheduler-api.js";
import { FakeSecretsManager } from "./secrets-api.js";
import {
  blockActionPayload,
  type SignedRequest,
  signedBlockAction,
  signedSlashCommand,
  slashCommandFields,
} from "./slack.js";

export { functionUrlEvent, LAMBDA_CONFIG_YAML } from "./lambda-fixtures.js";

export const SCHEDULE_GROUP = "AwsAccess-expiry";
/** The Secrets Manager secret the exported (cold-start) handlers read. */
export const SLACK_SECRET_NAME = "aws-access/slack";
const REGION = "us-east-1";

/** What the Slack function answered, with the wall-clock span of the call. */
export interface SlackAnswer {
  status: number;
  body: string;
  responseId: string;
  startedAt: number;
  endedAt: number;
}

const ENV_KEYS = [
  "AWS_ENDPOINT_URL_DYNAMODB",
  "AWS_ENDPOINT_URL_SSO_ADMIN",
  "AWS_ENDPOINT_URL_IDENTITYSTORE",
  "AWS_ENDPOINT_URL_SCHEDULER",
  "AWS_ENDPOINT_URL_SECRETS_MANAGER",
  "AWS_REGION",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "GRANTS_TABLE",
  "ACCESS_CONFIG",
  "SLACK_API_URL",
  "SCHEDULE_GROUP",
  "REVOKER_ARN",
  "SCHEDULER_ROLE_ARN",
  "WORKER_FUNCTION_NAME",
  "SLACK_SECRET_NAME",
] as const;

type Handlers = {
  slack: Awaited<ReturnType<typeof buildSlackHandler>>;
  worker: Awaited<ReturnType<typeof buildWorkerHandler>>;
  revoker: Awaited<ReturnType<typeof buildRevokerHandler>>;
};

/** The three real Lambda handlers in-process, their SDK clients pointed by env vars at local fakes. */
export class LambdaStack {
  readonly sim = new IdentityCenterSimulator({ seed: e2eSeed(), faults: { delayMs: 20 } });
  readonly slack = new FakeSlack({
    users: Object.values(PEOPLE).map((p) => ({ id: p.slackId, email: p.email, tz: "Europe/Berlin" })),
  });
  readonly scheduler = new FakeSchedulerApi();
  readonly clock = new OffsetClock();
  readonly secret = randomBytes(16).toString("hex");
  readonly secretsManager = new FakeSecretsManager({
    [SLACK_SECRET_NAME]: { signingSecret: this.secret, botToken: "xoxb-lambda" },
  });
  readonly table = `lambda-${randomBytes(4).toString("hex")}`;
  /** Every grant id the Slack function handed to the worker, in order. */
  readonly handedToWorker: string[] = [];
  readonly dynamo: DynamoDBClient;
  readonly store: DynamoGrantStore;
  private queued: WorkerEvent[] = [];
  private handlers: Handlers | undefined;
  private savedEnv: Record<string, string | undefined> = {};
  private closers: Array<() => Promise<void>> = [];
  private readonly dir = mkdtempSync(join(tmpdir(), "aws-access-lambda-"));

  private constructor(readonly dynamoEndpoint: string) {
    this.dynamo = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: REGION,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    this.store = new DynamoGrantStore(this.dynamo, this.table);
  }

  static async start(dynamoEndpoint: string): Promise<LambdaStack> {
    const stack = new LambdaStack(dynamoEndpoint);
    await createGrantsTable(stack.dynamo, stack.table);
    const ic = await stack.sim.start();
    stack.closers.push(() => ic.close());
    const slack = await stack.slack.start();
    stack.closers.push(() => slack.close());
    const schedulerUrl = await stack.scheduler.start();
    stack.closers.push(() => stack.scheduler.stop());
    const secretsUrl = await stack.secretsManager.start();
    stack.closers.push(() => stack.secretsManager.stop());
    const yamlPath = join(stack.dir, "access.yml");
    writeFileSync(yamlPath, LAMBDA_CONFIG_YAML);
    // As `cdk synth` does: validated once, bundled as JSON.
    const configPath = compileConfig(yamlPath);
    stack.setEnv({
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_SSO_ADMIN: ic.endpoint,
      AWS_ENDPOINT_URL_IDENTITYSTORE: ic.endpoint,
      AWS_ENDPOINT_URL_SCHEDULER: schedulerUrl,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      GRANTS_TABLE: stack.table,
      ACCESS_CONFIG: configPath,
      SLACK_API_URL: slack.apiUrl,
      SCHEDULE_GROUP,
      REVOKER_ARN: `arn:aws:lambda:${REGION}:123456789012:function:AwsAccess-revoker`,
      SCHEDULER_ROLE_ARN: "arn:aws:iam::123456789012:role/AwsAccess-SchedulerInvokeRole",
      WORKER_FUNCTION_NAME: "AwsAccess-worker",
      SLACK_SECRET_NAME,
    });
    const overrides: LambdaOverrides = {
      secrets: { signingSecret: stack.secret, botToken: "xoxb-lambda" },
      clock: stack.clock,
      jobs: stack.jobs(),
      // As workerNotices does: an asynchronous worker invocation, delivered by runWorker.
      notices: () => ({
        kick: async () => {
          if (!stack.queued.some((event) => event.notices === true)) stack.queued.push({ notices: true });
        },
      }),
    };
    stack.handlers = {
      slack: await buildSlackHandler(overrides),
      worker: await buildWorkerHandler(overrides),
      revoker: await buildRevokerHandler(overrides),
    };
    return stack;
  }

  async stop(): Promise<void> {
    for (const close of this.closers.reverse()) await close();
    this.dynamo.destroy();
    for (const [key, value] of Object.entries(this.savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Posts a Function URL event to the Slack function, as Slack through the Function URL would. */
  async send(request: SignedRequest, options: { base64?: boolean } = {}) {
    const startedAt = Date.now();
    const answer = await this.required().slack(functionUrlEvent(request, options), {});
    return { status: answer.statusCode, body: answer.body, startedAt, endedAt: Date.now() };
  }

  /** Types `/aws-access <text>` as `who`. */
  async slash(who: Person, text: string, options: { base64?: boolean } = {}): Promise<SlackAnswer> {
    const responseId = `r${randomBytes(4).toString("hex")}`;
    const fields = slashCommandFields({
      user_id: who.slackId,
      text,
      response_url: this.slack.responseUrl(responseId),
    });
    return { ...(await this.send(signedSlashCommand(this.secret, fields), options)), responseId };
  }

  /** Clicks a button on a grant's message as `who`. */
  async click(who: Person, action: keyof typeof ACTIONS, grantId: string): Promise<SlackAnswer> {
    const responseId = `r${randomBytes(4).toString("hex")}`;
    const payload = blockActionPayload({
      actionId: ACTIONS[action],
      value: grantId,
      userId: who.slackId,
      responseUrl: this.slack.responseUrl(responseId),
    });
    return { ...(await this.send(signedBlockAction(this.secret, payload))), responseId };
  }

  /** Delivers the queued asynchronous worker invocations (grants to drive, notices to send) until none is left. */
  async runWorker(): Promise<Array<{ ok: boolean }>> {
    const results: Array<{ ok: boolean }> = [];
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0);
      results.push(...(await Promise.all(batch.map((event) => this.required().worker(event)))));
    }
    return results;
  }

  /** Invokes the revoker as a schedule or the sweep rule would. */
  revoke(event: RevokerEvent) {
    return this.required().revoker(event);
  }

  /** Fires the grant's one-time schedule: Scheduler deletes it and invokes the revoker with its input. */
  fireSchedule(grantId: string) {
    return this.revoke(this.scheduler.fire(SCHEDULE_GROUP, scheduleName(grantId)) as RevokerEvent);
  }

  /** The grant's schedule as last created or updated, if it still exists. */
  scheduleOf(grantId: string): Record<string, unknown> | undefined {
    return this.scheduler.schedules.get(`${SCHEDULE_GROUP}/${scheduleName(grantId)}`);
  }

  async statusOf(grantId: string) {
    return (await this.store.get(grantId))?.status;
  }

  /** The USER assignments the simulator holds for a person. */
  userAssignments(who: Person) {
    return this.sim.assignments().filter((a) => a.principalType === "USER" && a.principalId === who.userId);
  }

  /** Accepted calls of one Identity Center operation, optionally within a wall-clock span. */
  callsOf(operation: string, span?: { startedAt: number; endedAt: number }) {
    return this.sim
      .calls()
      .filter(
        (c) =>
          c.operation === operation &&
          c.outcome === "ok" &&
          (!span || (c.at >= span.startedAt && c.at <= span.endedAt)),
      );
  }

  /** Text of everything posted to a response_url, joined. */
  repliesTo(responseId: string): string {
    return this.slack
      .responsesTo(responseId)
      .map((body) => JSON.stringify(body))
      .join("\n");
  }

  /** Direct messages that mention the text. */
  dmsWith(text: string) {
    return this.slack.messages.filter((m) => m.channel.startsWith("D") && JSON.stringify(m).includes(text));
  }

  /** Stands in for lambdaJobs: records the asynchronous invocation; runWorker delivers it later. */
  private jobs(): Jobs {
    return {
      drive: async (grantId) => {
        this.handedToWorker.push(grantId);
        this.queued.push({ grantId });
      },
    };
  }

  private required(): Handlers {
    if (!this.handlers) throw new Error("LambdaStack is not started");
    return this.handlers;
  }

  private setEnv(values: Record<(typeof ENV_KEYS)[number], string | undefined>): void {
    for (const key of ENV_KEYS) {
      this.savedEnv[key] = process.env[key];
      const value = values[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
