import { randomBytes } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import { createGrantsTable } from "../../src/adapters/dynamodb/table.js";
import { IdentityCenterAdapter } from "../../src/adapters/identity-center/index.js";
import { ACTIONS, DENY_FIELDS, VIEWS } from "../../src/adapters/slack/action-ids.js";
import type { Timings } from "../../src/app/deps.js";
import type { Clock, Logger } from "../../src/app/ports.js";
import type { AccessConfig } from "../../src/domain/config.js";
import type { Grant } from "../../src/domain/grant.js";
import { type RunningBot, startBot } from "../../src/entrypoints/bot.js";
import {
  DEFAULT_INSTANCE,
  IdentityCenterSimulator,
  type SimFaults,
  type SimSeed,
} from "../../src/sim/identity-center/index.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { PEOPLE } from "./app-harness.js";
import { localDynamo } from "./dynamodb-local.js";
import { ADMIN, exampleConfig, MANAGEMENT, PROD, READ_ONLY, STAGING } from "./example-config.js";
import { icClients, recordingLogger, userAssignment } from "./ic.js";
import {
  blockActionPayload,
  deliver,
  signedBlockAction,
  signedSlashCommand,
  signedViewSubmission,
  slashCommandFields,
  textValue,
  viewSubmissionPayload,
} from "./slack.js";

export { PEOPLE };
export type Person = (typeof PEOPLE)[keyof typeof PEOPLE];

/** Real time plus an offset that tests move forward, so expiry can be reached without waiting an hour. */
export class OffsetClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

/** Identity Center as the examples have it: people, groups, permission sets, accounts, and the baseline. */
export function e2eSeed(): SimSeed {
  const people = Object.values(PEOPLE).filter((p) => p.userId);
  return {
    instance: DEFAULT_INSTANCE,
    users: people.map((p) => ({ id: p.userId, userName: p.slackId, emails: [p.email.toLowerCase()] })),
    groups: [
      { id: "g-engineers", displayName: "Engineers", members: [PEOPLE.dev.userId] },
      {
        id: "g-org-admins",
        displayName: "Organization Administrators",
        members: [PEOPLE.admin.userId, PEOPLE.admin2.userId],
      },
    ],
    permissionSets: [
      { arn: READ_ONLY, name: "ReadOnly" },
      { arn: ADMIN, name: "AdministratorAccess" },
    ],
    accounts: [{ id: PROD, name: "Production" }, { id: STAGING }, { id: MANAGEMENT }],
    assignments: [
      { principalType: "GROUP", principalId: "g-org-admins", accountId: PROD, permissionSetArn: ADMIN },
    ],
  };
}

export interface StackOptions {
  config?: AccessConfig;
  faults?: Partial<SimFaults>;
  sweepIntervalMs?: number;
  /** Reuse a table (restart scenarios); a fresh one otherwise. */
  table?: string;
  /** Claim and retry timings for the bot. */
  timings?: Partial<Timings>;
}

/** The whole bot on loopback: real Bolt app, DynamoDB Local, the Identity Center simulator and a fake Slack. */
export class E2EStack {
  readonly sim: IdentityCenterSimulator;
  readonly slack: FakeSlack;
  readonly clock = new OffsetClock();
  readonly log: Logger & { lines: Array<{ level: string; msg: string; fields?: object }> } =
    recordingLogger();
  readonly config: AccessConfig;
  readonly secret = randomBytes(16).toString("hex");
  readonly table: string;
  bot: RunningBot | undefined;
  url = "";
  private db: { dynamo: DynamoDBClient; store: DynamoGrantStore } | undefined;
  private closers: Array<() => Promise<void>> = [];

  constructor(readonly options: StackOptions = {}) {
    this.table = options.table ?? `e2e-${randomBytes(4).toString("hex")}`;
    this.sim = new IdentityCenterSimulator({ seed: e2eSeed(), faults: { delayMs: 20, ...options.faults } });
    this.slack = new FakeSlack({
      users: Object.values(PEOPLE).map((p) => ({ id: p.slackId, email: p.email, tz: "Europe/Berlin" })),
    });
    const base = options.config ?? exampleConfig();
    this.config = {
      ...base,
      identityCenter: { ...base.identityCenter, ...DEFAULT_INSTANCE },
    };
  }

  get dynamo(): DynamoDBClient {
    return this.started().dynamo;
  }

  get store(): DynamoGrantStore {
    return this.started().store;
  }

  /** Starts the stand-ins, and the bot on its table at `dynamoEndpoint`. */
  async start(dynamoEndpoint: string): Promise<void> {
    const dynamo = localDynamo(dynamoEndpoint);
    this.closers.push(async () => dynamo.destroy());
    this.db = { dynamo, store: new DynamoGrantStore(dynamo, this.table) };
    await createGrantsTable(dynamo, this.table);
    const ic = await this.sim.start();
    this.closers.push(() => ic.close());
    const slack = await this.slack.start();
    this.closers.push(() => slack.close());
    const clients = icClients(ic.endpoint);
    this.closers.push(async () => {
      clients.ssoAdmin.destroy();
      clients.identityStore.destroy();
    });
    const identity = new IdentityCenterAdapter({
      ...clients,
      clock: this.clock,
      poll: { initialMs: 20, maxMs: 200 },
      retry: { baseMs: 20, maxMs: 200 },
      logger: this.log,
    });
    this.bot = await startBot({
      config: this.config,
      store: this.store,
      identity,
      log: this.log,
      clock: this.clock,
      sweepIntervalMs: this.options.sweepIntervalMs ?? 1_000,
      ...(this.options.timings ? { timings: this.options.timings } : {}),
      slack: { signingSecret: this.secret, botToken: "xoxb-e2e", slackApiUrl: slack.apiUrl, port: 0 },
    });
    this.url = `http://127.0.0.1:${this.bot.port}/slack/events`;
  }

  private started() {
    if (!this.db) throw new Error("E2EStack is not started");
    return this.db;
  }

  /** Stops the bot as a crash would leave things: timers gone, nothing else cleaned up in the store. */
  async stopBot(): Promise<void> {
    await this.bot?.stop();
    this.bot = undefined;
  }

  async stop(): Promise<void> {
    await this.stopBot();
    for (const close of this.closers.reverse()) await close();
    this.closers = [];
  }

  /** Types `/aws-access <text>` as `who`; returns the HTTP answer and the response_url id to read replies from. */
  slash(who: Person, text: string) {
    return slashAs(this, who, text);
  }

  /** Clicks a button (approve, deny, revoke now) on a grant as `who`. */
  click(who: Person, action: keyof typeof ACTIONS, grantId: string) {
    return clickAs(this, who, action, grantId);
  }

  /** Submits the deny-reason form for a grant as `who`. */
  async submitDenial(who: Person, grantId: string, reason: string) {
    const payload = viewSubmissionPayload({
      callbackId: VIEWS.denyReason,
      userId: who.slackId,
      privateMetadata: grantId,
      values: { [DENY_FIELDS.reason.block]: { [DENY_FIELDS.reason.action]: textValue(reason) } },
    });
    return deliver(this.url, signedViewSubmission(this.secret, payload));
  }

  /** Text of everything posted to a response_url, joined. */
  repliesTo(responseId: string): string {
    return this.slack
      .responsesTo(responseId)
      .map((body) => JSON.stringify(body))
      .join("\n");
  }

  async grantsOf(who: Person): Promise<Grant[]> {
    return this.store.byRequester(who.slackId, 50);
  }

  /** The USER assignments the simulator holds for a person. */
  userAssignments(who: Person) {
    return this.sim.assignments().filter((a) => a.principalType === "USER" && a.principalId === who.userId);
  }

  createCalls(): number {
    return this.sim.calls().filter((c) => c.operation === "CreateAccountAssignment" && c.outcome === "ok")
      .length;
  }
}

/** A bot served over HTTP: where Slack posts to it, the secret it checks, and the fake Slack its replies go to. */
export interface ServedOverHttp {
  url: string;
  secret: string;
  slack: FakeSlack;
}

/** Types `/aws-access <text>` to `bot` as `who`; the HTTP answer and the response_url id to read replies from. */
export async function slashAs(bot: ServedOverHttp, who: Person, text: string) {
  const id = `r${randomBytes(4).toString("hex")}`;
  const fields = slashCommandFields({ user_id: who.slackId, text, response_url: bot.slack.responseUrl(id) });
  const answer = await deliver(bot.url, signedSlashCommand(bot.secret, fields));
  return { ...answer, responseId: id };
}

/** Clicks a button (approve, deny, revoke now) on a grant as `who`; the answer and its response_url id. */
export async function clickAs(
  bot: ServedOverHttp,
  who: Person,
  action: keyof typeof ACTIONS,
  grantId: string,
) {
  const id = `r${randomBytes(4).toString("hex")}`;
  const payload = blockActionPayload({
    actionId: ACTIONS[action],
    value: grantId,
    userId: who.slackId,
    responseUrl: bot.slack.responseUrl(id),
  });
  const answer = await deliver(bot.url, signedBlockAction(bot.secret, payload));
  return { ...answer, responseId: id };
}

/** `who`'s ReadOnly assignment in PROD, as the simulator records it (a permanent one, when a test adds it). */
export function readOnlyAssignment(who: Person) {
  return userAssignment({ userId: who.userId, accountId: PROD, permissionSetArn: READ_ONLY });
}

/** A failTuples fault: Identity Center fails `who`'s ReadOnly assignment in PROD with `reason`. */
export function failingReadOnly(who: Person, reason: string) {
  return { principalId: who.userId, accountId: PROD, permissionSetArn: READ_ONLY, reason };
}

/** Polls until `check` returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
