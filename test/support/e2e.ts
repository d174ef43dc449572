import { randomBytes } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
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
import { ADMIN, exampleConfig, MANAGEMENT, PROD, READ_ONLY, STAGING } from "./example-config.js";
import { icClients, recordingLogger } from "./ic.js";
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
  readonly dynamo: DynamoDBClient;
  readonly store: DynamoGrantStore;
  readonly config: AccessConfig;
  bot: RunningBot | undefined;
  url = "";
  private closers: Array<() => Promise<void>> = [];

  constructor(
    dynamoEndpoint: string,
    readonly secret: string,
    readonly options: StackOptions,
    readonly table: string,
  ) {
    this.sim = new IdentityCenterSimulator({ seed: e2eSeed(), faults: { delayMs: 20, ...options.faults } });
    this.slack = new FakeSlack({
      users: Object.values(PEOPLE).map((p) => ({ id: p.slackId, email: p.email, tz: "Europe/Berlin" })),
    });
    this.dynamo = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    this.store = new DynamoGrantStore(this.dynamo, table);
    const base = options.config ?? exampleConfig();
    this.config = {
      ...base,
      identityCenter: { ...base.identityCenter, ...DEFAULT_INSTANCE },
    };
  }

  static async start(dynamoEndpoint: string, options: StackOptions = {}): Promise<E2EStack> {
    const table = options.table ?? `e2e-${randomBytes(4).toString("hex")}`;
    const stack = new E2EStack(dynamoEndpoint, randomBytes(16).toString("hex"), options, table);
    await createGrantsTable(stack.dynamo, table);
    const ic = await stack.sim.start();
    stack.closers.push(() => ic.close());
    const slack = await stack.slack.start();
    stack.closers.push(() => slack.close());
    const clients = icClients(ic.endpoint);
    stack.closers.push(async () => {
      clients.ssoAdmin.destroy();
      clients.identityStore.destroy();
    });
    const identity = new IdentityCenterAdapter({
      ...clients,
      clock: stack.clock,
      poll: { initialMs: 20, maxMs: 200 },
      retry: { baseMs: 20, maxMs: 200 },
      logger: stack.log,
    });
    stack.bot = await startBot({
      config: stack.config,
      store: stack.store,
      identity,
      log: stack.log,
      clock: stack.clock,
      sweepIntervalMs: options.sweepIntervalMs ?? 1_000,
      ...(options.timings ? { timings: options.timings } : {}),
      slack: { signingSecret: stack.secret, botToken: "xoxb-e2e", slackApiUrl: slack.apiUrl, port: 0 },
    });
    stack.url = `http://127.0.0.1:${stack.bot.port}/slack/events`;
    return stack;
  }

  /** Stops the bot as a crash would leave things: timers gone, nothing else cleaned up in the store. */
  async stopBot(): Promise<void> {
    await this.bot?.stop();
    this.bot = undefined;
  }

  async stop(): Promise<void> {
    await this.stopBot();
    for (const close of this.closers.reverse()) await close();
    this.dynamo.destroy();
  }

  /** Types `/aws-access <text>` as `who`; returns the HTTP answer and the response_url id to read replies from. */
  async slash(who: Person, text: string) {
    const id = `r${randomBytes(4).toString("hex")}`;
    const fields = slashCommandFields({
      user_id: who.slackId,
      text,
      response_url: this.slack.responseUrl(id),
    });
    const answer = await deliver(this.url, signedSlashCommand(this.secret, fields));
    return { ...answer, responseId: id };
  }

  /** Clicks a button (approve, deny, revoke now) on a grant as `who`. */
  async click(who: Person, action: keyof typeof ACTIONS, grantId: string) {
    const id = `r${randomBytes(4).toString("hex")}`;
    const payload = blockActionPayload({
      actionId: ACTIONS[action],
      value: grantId,
      userId: who.slackId,
      responseUrl: this.slack.responseUrl(id),
    });
    const answer = await deliver(this.url, signedBlockAction(this.secret, payload));
    return { ...answer, responseId: id };
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
