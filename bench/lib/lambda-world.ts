import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { compileConfig } from "../../infra/stack.js";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import { createGrantsTable } from "../../src/adapters/dynamodb/table.js";
import { EventBridgeRevocationScheduler } from "../../src/adapters/scheduler/eventbridge.js";
import { IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";
import { seededRandom } from "../../src/sim/identity-center/protocol.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { FakeLambdaApi } from "../../test/support/lambda-api.js";
import { FakeSchedulerApi } from "../../test/support/scheduler-api.js";
import { FakeSecretsManager } from "../../test/support/secrets-api.js";
import { QUOTAS } from "./expiry-world.js";
import { LambdaProcess } from "./lambda-process.js";
import { type BenchUser, CONFIG_YAML, slackUsers, worldSeed } from "./world.js";

const REGION = "us-east-1";
const SCHEDULE_GROUP = "AwsAccess-expiry";
const WORKER_NAME = "AwsAccess-worker";
const REVOKER_ARN = `arn:aws:lambda:${REGION}:123456789012:function:AwsAccess-revoker`;
const SECRET_NAME = "aws-access/slack";
const LOCAL = { accessKeyId: "local", secretAccessKey: "local" };
/** EventBridge Scheduler and a rate rule fire up to this late. */
const MAX_LATE_MS = 59_000;

/** What fired: a grant's one-time wake-up or the one-minute sweep rule, when it was due and when it fired. */
export interface Firing {
  kind: "wake-up" | "sweep";
  dueAt: number;
  firedAt: number;
}

/**
 * The stack on this machine: the real revoker and worker handlers, each container built as a cold start, run by a
 * simulated Lambda at the stack's reserved concurrency and timeouts, in a process of its own (as on AWS, the
 * handlers share no event loop with Identity Center or their triggers); EventBridge Scheduler's one-time wake-ups
 * and the one-minute rule fired up to 59 s late (seeded); the worker invoked for notices through Lambda's Invoke
 * API, as the revoker's `workerNotices` does; Secrets Manager, Scheduler and Lambda's API as local stand-ins.
 */
export class LambdaWorld {
  readonly sim: IdentityCenterSimulator;
  readonly slack: FakeSlack;
  readonly schedulerApi = new FakeSchedulerApi();
  /** Set by `start`. */
  service!: LambdaProcess;
  readonly dynamo: DynamoDBClient;
  readonly store: DynamoGrantStore;
  readonly table = `bench-lambda-${randomBytes(4).toString("hex")}`;
  readonly firings: Firing[] = [];
  /** Lateness of a wake-up by schedule name, when a run wants one of its own (the lone grant's worst case). */
  readonly lateness = new Map<string, number>();
  private readonly secrets: FakeSecretsManager;
  private readonly lambdaApi: FakeLambdaApi;
  private readonly dir = mkdtempSync(join(tmpdir(), "aws-access-bench-lambda-"));
  private closers: Array<() => Promise<unknown> | unknown> = [];
  private savedEnv: Record<string, string | undefined> = {};
  private ticker: NodeJS.Timeout | undefined;
  private nextSweep = 0;
  private sweepLate = 0;
  private schedulerEndpoint = "";

  private constructor(
    readonly dynamoEndpoint: string,
    users: BenchUser[],
    private readonly seed: number,
  ) {
    this.sim = new IdentityCenterSimulator({ seed: worldSeed(users), faults: QUOTAS });
    this.slack = new FakeSlack({ users: slackUsers(users) });
    this.dynamo = new DynamoDBClient({ endpoint: dynamoEndpoint, region: REGION, credentials: LOCAL });
    this.store = new DynamoGrantStore(this.dynamo, this.table);
    this.secrets = new FakeSecretsManager({
      [SECRET_NAME]: { signingSecret: "bench", botToken: "xoxb-bench" },
    });
    // Lambda's Invoke API as the handlers call it: the revoker hands notices to the worker and a backlog to itself.
    this.lambdaApi = new FakeLambdaApi(({ functionName, type, payload }) => {
      if (type !== "Event") return;
      if (functionName === WORKER_NAME) this.service.invokeAsync("worker", payload);
      else if (functionName === REVOKER_ARN) this.service.invokeAsync("revoker", payload);
    });
  }

  static async start(dynamoEndpoint: string, users: BenchUser[], seed: number): Promise<LambdaWorld> {
    const world = new LambdaWorld(dynamoEndpoint, users, seed);
    await createGrantsTable(world.dynamo, world.table);
    const ic = await world.sim.start();
    world.closers.push(() => ic.close());
    const slack = await world.slack.start();
    world.closers.push(() => slack.close());
    world.schedulerEndpoint = await world.schedulerApi.start();
    world.closers.push(() => world.schedulerApi.stop());
    const secretsUrl = await world.secrets.start();
    world.closers.push(() => world.secrets.stop());
    const lambdaUrl = await world.lambdaApi.start();
    world.closers.push(() => world.lambdaApi.stop());
    const yamlPath = join(world.dir, "access.yml");
    writeFileSync(yamlPath, CONFIG_YAML);
    world.setEnv({
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_SSO_ADMIN: ic.endpoint,
      AWS_ENDPOINT_URL_IDENTITYSTORE: ic.endpoint,
      AWS_ENDPOINT_URL_SCHEDULER: world.schedulerEndpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsUrl,
      AWS_ENDPOINT_URL_LAMBDA: lambdaUrl,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: LOCAL.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL.secretAccessKey,
      GRANTS_TABLE: world.table,
      // As `cdk synth` does: validated once, bundled as JSON.
      ACCESS_CONFIG: compileConfig(yamlPath),
      SLACK_API_URL: slack.apiUrl,
      SLACK_SECRET_NAME: SECRET_NAME,
      SCHEDULE_GROUP,
      REVOKER_ARN,
      SCHEDULER_ROLE_ARN: "arn:aws:iam::123456789012:role/AwsAccess-SchedulerInvokeRole",
      WORKER_FUNCTION_NAME: WORKER_NAME,
    });
    world.service = await LambdaProcess.start(["revoker", "worker"]);
    world.closers.push(() => world.service.kill());
    return world;
  }

  /** Creates each grant's wake-up as the bot does when a grant goes active (a minute before it falls due). */
  async scheduleWakeUps(grants: ReadonlyArray<{ id: string; expiresAt: number }>): Promise<void> {
    const client = new SchedulerClient({
      endpoint: this.schedulerEndpoint,
      region: REGION,
      credentials: LOCAL,
    });
    const scheduler = new EventBridgeRevocationScheduler({
      client,
      groupName: SCHEDULE_GROUP,
      targetArn: process.env.REVOKER_ARN ?? "",
      roleArn: process.env.SCHEDULER_ROLE_ARN ?? "",
    });
    let next = 0;
    const worker = async () => {
      for (let n = next++; n < grants.length; n = next++) {
        const grant = grants[n];
        if (grant) await scheduler.schedule(grant.id, grant.expiresAt);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    client.destroy();
  }

  /** Starts firing wake-ups when their time has come (plus their lateness) and the sweep rule every minute. */
  startTriggers(): void {
    this.nextSweep = Math.ceil(Date.now() / 60_000) * 60_000;
    this.sweepLate = this.late(`sweep-${this.nextSweep}`);
    this.ticker = setInterval(() => this.tick(), 100);
  }

  /** Stops the triggers and Lambda; returns how many events were still queued (dropped). */
  async stop(): Promise<number> {
    if (this.ticker) clearInterval(this.ticker);
    const dropped = await this.service.stop();
    for (const close of this.closers.reverse()) await close();
    this.closers = [];
    this.dynamo.destroy();
    for (const [key, value] of Object.entries(this.savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(this.dir, { recursive: true, force: true });
    return dropped;
  }

  /** How late a firing is: seeded, and the same for the same name whatever order schedules were created in. */
  private late(name: string): number {
    const mixed = createHash("sha256").update(`${this.seed}|${name}`).digest().readUInt32LE(0);
    return Math.floor(seededRandom(mixed)() * (MAX_LATE_MS + 1));
  }

  private tick(): void {
    const now = Date.now();
    for (const [key, schedule] of this.schedulerApi.schedules) {
      const expression = /^at\((.+)\)$/.exec(String(schedule.ScheduleExpression))?.[1];
      if (!expression) continue;
      const dueAt = Date.parse(`${expression}Z`);
      const name = key.slice(key.indexOf("/") + 1);
      let late = this.lateness.get(name);
      if (late === undefined) {
        late = this.late(name);
        this.lateness.set(name, late);
      }
      if (now < dueAt + late) continue;
      // ActionAfterCompletion DELETE: the schedule is gone once it fired.
      this.schedulerApi.schedules.delete(key);
      const input = (schedule.Target as { Input?: string } | undefined)?.Input ?? "null";
      this.firings.push({ kind: "wake-up", dueAt, firedAt: now });
      this.service.invokeAsync("revoker", JSON.parse(input));
    }
    if (now >= this.nextSweep + this.sweepLate) {
      this.firings.push({ kind: "sweep", dueAt: this.nextSweep, firedAt: now });
      this.service.invokeAsync("revoker", { sweep: true });
      this.nextSweep += 60_000;
      this.sweepLate = this.late(`sweep-${this.nextSweep}`);
    }
  }

  private setEnv(values: Record<string, string>): void {
    for (const [key, value] of Object.entries(values)) {
      this.savedEnv[key] = process.env[key];
      process.env[key] = value;
    }
  }
}
