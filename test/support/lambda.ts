import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileConfig } from "../../infra/stack.js";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import { createGrantsTable } from "../../src/adapters/dynamodb/table.js";
import { ACTIONS } from "../../src/adapters/slack/action-ids.js";
import type { Jobs } from "../../src/app/deps.js";
import type { InvocationContext, LambdaOverrides } from "../../src/entrypoints/lambda/context.js";
import { buildRevokerHandler, type RevokerEvent } from "../../src/entrypoints/lambda/revoker.js";
import { buildSlackHandler } from "../../src/entrypoints/lambda/slack.js";
import { buildWorkerHandler, type WorkerEvent } from "../../src/entrypoints/lambda/worker.js";
import { IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { localDynamo } from "./dynamodb-local.js";
import { e2eSeed, OffsetClock, PEOPLE, type Person } from "./e2e.js";
import { exampleConfigYaml } from "./example-config.js";
import { FakeLambdaApi, type Invocation } from "./lambda-api.js";
import { functionUrlEvent } from "./lambda-fixtures.js";
import { FakeSchedulerApi } from "./scheduler-api.js";
import { FakeSecretsManager } from "./secrets-api.js";
import {
  blockActionPayload,
  type SignedRequest,
  signedBlockAction,
  signedSlashCommand,
  slashCommandFields,
} from "./slack.js";

export { functionUrlEvent } from "./lambda-fixtures.js";

export const SCHEDULE_GROUP = "AwsAccess-expiry";
/** The Secrets Manager secret the exported (cold-start) handlers read. */
export const SLACK_SECRET_NAME = "aws-access/slack";
const REGION = "us-east-1";
const WORKER_NAME = "AwsAccess-worker";

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
  "AWS_ENDPOINT_URL_LAMBDA",
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
  /** Lambda's Invoke API: what the functions hand the worker (requests from Slack, grants, notices) is queued. */
  readonly lambdaApi = new FakeLambdaApi((invocation) => this.invoked(invocation));
  /** Every grant id the Slack function handed to the worker, in order. */
  readonly handedToWorker: string[] = [];
  private queued: WorkerEvent[] = [];
  private running: { store: DynamoGrantStore; handlers: Handlers } | undefined;
  private savedEnv: Record<string, string | undefined> = {};
  private closers: Array<() => Promise<void>> = [];
  private readonly dir = mkdtempSync(join(tmpdir(), "aws-access-lambda-"));

  /** The grants table the functions use. */
  get store(): DynamoGrantStore {
    return this.required().store;
  }

  /** Starts the stand-ins on loopback and builds the three handlers on a fresh table at `dynamoEndpoint`. */
  async start(dynamoEndpoint: string): Promise<void> {
    const dynamo = localDynamo(dynamoEndpoint);
    this.closers.push(async () => dynamo.destroy());
    await createGrantsTable(dynamo, this.table);
    const ic = await this.sim.start();
    this.closers.push(() => ic.close());
    const slack = await this.slack.start();
    this.closers.push(() => slack.close());
    const [schedulerUrl, secretsUrl, lambdaUrl] = await Promise.all(
      [this.scheduler, this.secretsManager, this.lambdaApi].map(async (api) => {
        const url = await api.start();
        this.closers.push(() => api.stop());
        return url;
      }),
    );
    const yamlPath = join(this.dir, "access.yml");
    writeFileSync(yamlPath, exampleConfigYaml());
    // As `cdk synth` does: validated once, bundled as JSON.
    const configPath = compileConfig(yamlPath);
    this.setEnv({
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_SSO_ADMIN: ic.endpoint,
      AWS_ENDPOINT_URL_IDENTITYSTORE: ic.endpoint,
      AWS_ENDPOINT_URL_SCHEDULER: schedulerUrl,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl,
      AWS_ENDPOINT_URL_LAMBDA: lambdaUrl,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      GRANTS_TABLE: this.table,
      ACCESS_CONFIG: configPath,
      SLACK_API_URL: slack.apiUrl,
      SCHEDULE_GROUP,
      REVOKER_ARN: `arn:aws:lambda:${REGION}:123456789012:function:AwsAccess-revoker`,
      SCHEDULER_ROLE_ARN: "arn:aws:iam::123456789012:role/AwsAccess-SchedulerInvokeRole",
      WORKER_FUNCTION_NAME: WORKER_NAME,
      SLACK_SECRET_NAME,
    });
    const overrides: LambdaOverrides = {
      secrets: { signingSecret: this.secret, botToken: "xoxb-lambda" },
      clock: this.clock,
      jobs: this.jobs(),
      // The engine looks again every 20 ms and lets go at once when idle, so a test's invocation ends quickly.
      engine: { pollMs: 20, settleMs: 0 },
      // As workerNotices does: an asynchronous worker invocation, delivered by runWorker.
      notices: () => ({
        kick: async () => {
          if (!this.queued.some((event) => event.notices === true)) this.queued.push({ notices: true });
        },
      }),
    };
    const handlers = {
      slack: await buildSlackHandler(overrides),
      worker: await buildWorkerHandler(overrides),
      revoker: await buildRevokerHandler(overrides),
    };
    this.running = { store: new DynamoGrantStore(dynamo, this.table), handlers };
  }

  async stop(): Promise<void> {
    for (const close of this.closers.reverse()) await close();
    this.closers = [];
    for (const [key, value] of Object.entries(this.savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Posts a Function URL event to the Slack function, as Slack through the Function URL would. */
  async send(request: SignedRequest, options: { base64?: boolean } = {}) {
    const startedAt = Date.now();
    const answer = await this.required().handlers.slack(functionUrlEvent(request, options), {});
    return { status: answer.statusCode, body: answer.body, startedAt, endedAt: Date.now() };
  }

  /** Types `/aws-access <text>` as `who`; the worker then runs what the Slack function handed on, as Lambda would. */
  async slash(who: Person, text: string, options: { base64?: boolean } = {}): Promise<SlackAnswer> {
    const responseId = `r${randomBytes(4).toString("hex")}`;
    const responseUrl = this.slack.responseUrl(responseId);
    const fields = slashCommandFields({ user_id: who.slackId, text, response_url: responseUrl });
    const answer = await this.send(signedSlashCommand(this.secret, fields), options);
    await this.finishHandedOn(responseUrl);
    return { ...answer, responseId };
  }

  /** Clicks a button on a grant's message as `who`; the worker then runs what the Slack function handed on. */
  async click(who: Person, action: keyof typeof ACTIONS, grantId: string): Promise<SlackAnswer> {
    const responseId = `r${randomBytes(4).toString("hex")}`;
    const responseUrl = this.slack.responseUrl(responseId);
    const payload = { actionId: ACTIONS[action], value: grantId, userId: who.slackId, responseUrl };
    const answer = await this.send(signedBlockAction(this.secret, blockActionPayload(payload)));
    await this.finishHandedOn(responseUrl);
    return { ...answer, responseId };
  }

  /**
   * Delivers the queued asynchronous worker invocations (requests handed on by the Slack function, grants to drive,
   * notices to send) until none is left; to the in-process worker, or to `worker` (e.g. the exported handler).
   */
  async runWorker(
    worker: Handlers["worker"] = this.required().handlers.worker,
  ): Promise<Array<{ ok: boolean }>> {
    const results: Array<{ ok: boolean }> = [];
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0);
      results.push(...(await Promise.all(batch.map((event) => worker(event)))));
    }
    return results;
  }

  /** Runs, in the worker, the handed-on request that carries this response_url (the invocation starts at once). */
  private async finishHandedOn(responseUrl: string): Promise<void> {
    const mine = this.queued.filter(
      (event) => (event.slack as { body?: { response_url?: unknown } })?.body?.response_url === responseUrl,
    );
    this.queued = this.queued.filter((event) => !mine.includes(event));
    for (const event of mine) await this.required().handlers.worker(event);
  }

  /** An asynchronous invocation of the worker through Lambda's API; runWorker delivers it later. */
  private invoked({ functionName, type, payload }: Invocation): void {
    if (functionName !== WORKER_NAME || type !== "Event") return;
    const event = payload as WorkerEvent;
    if (typeof event.grantId === "string") this.handedToWorker.push(event.grantId);
    this.queued.push(event);
  }

  /** Invokes the revoker as a schedule or the sweep rule would. */
  revoke(event: RevokerEvent, context?: InvocationContext) {
    return this.required().handlers.revoker(event, context);
  }

  /** Fires the grant's earliest wake-up: Scheduler deletes it and invokes the revoker with its input. */
  fireSchedule(grantId: string) {
    const [name] = this.scheduleNamesOf(grantId);
    if (!name) throw new Error(`grant ${grantId} has no schedule to fire`);
    return this.revoke(this.scheduler.fire(SCHEDULE_GROUP, name) as RevokerEvent);
  }

  /** The grant's latest wake-up, if one is left. */
  scheduleOf(grantId: string): Record<string, unknown> | undefined {
    const name = this.scheduleNamesOf(grantId).at(-1);
    return name === undefined ? undefined : this.scheduler.schedules.get(`${SCHEDULE_GROUP}/${name}`);
  }

  /** Names of the grant's wake-ups still scheduled, earliest first (`grant-<id>-<second it falls due>`). */
  scheduleNamesOf(grantId: string): string[] {
    const prefix = `${SCHEDULE_GROUP}/grant-${grantId}-`;
    return [...this.scheduler.schedules.keys()]
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(SCHEDULE_GROUP.length + 1))
      .sort((a, b) => Number(a.split("-").at(-1)) - Number(b.split("-").at(-1)));
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

  private required() {
    if (!this.running) throw new Error("LambdaStack is not started");
    return this.running;
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
