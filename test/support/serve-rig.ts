import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import { createGrantsTable } from "../../src/adapters/dynamodb/table.js";
import type { ACTIONS } from "../../src/adapters/slack/action-ids.js";
import { IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { localBotEnv, serveChild } from "./cli-run.js";
import { DynamoProxy } from "./dynamo-proxy.js";
import { freePort, localDynamo } from "./dynamodb-local.js";
import { clickAs, e2eSeed, PEOPLE, type Person, slashAs } from "./e2e.js";
import { minuteGrantsConfigYaml } from "./example-config.js";

/**
 * The real `serve` command in child processes that can be killed and started again, on a table of its own, the
 * Identity Center simulator and a fake Slack (these in the test's process, so they outlive every child).
 */
export class ServeRig {
  readonly secret = randomBytes(16).toString("hex");
  readonly table: string;
  readonly sim = new IdentityCenterSimulator({ seed: e2eSeed(), faults: { delayMs: 20 } });
  readonly slack = new FakeSlack({
    users: Object.values(PEOPLE).map((p) => ({ id: p.slackId, email: p.email })),
  });
  /** The port every `serve` child listens on. */
  port = 0;
  private started:
    | { store: DynamoGrantStore; proxy: DynamoProxy | undefined; env: NodeJS.ProcessEnv }
    | undefined;
  private readonly children: ChildProcess[] = [];
  private readonly closers: Array<() => Promise<void> | void> = [];

  /** `throughProxy`: the children reach DynamoDB through a proxy the test can make hold requests. */
  constructor(
    label: string,
    private readonly options: { throughProxy?: boolean } = {},
  ) {
    this.table = `${label}-${randomBytes(4).toString("hex")}`;
  }

  /** The grants table, read and written directly (never through the proxy). */
  get store(): DynamoGrantStore {
    return this.running().store;
  }

  /** The proxy between the children and DynamoDB Local. */
  get proxy(): DynamoProxy {
    const { proxy } = this.running();
    if (!proxy) throw new Error("this ServeRig has no proxy");
    return proxy;
  }

  /** Where Slack sends slash commands and interactions to the `serve` child. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/slack/events`;
  }

  async start(dynamoEndpoint: string): Promise<void> {
    const dynamo = localDynamo(dynamoEndpoint);
    this.closers.push(() => dynamo.destroy());
    await createGrantsTable(dynamo, this.table);
    const ic = await this.sim.start();
    this.closers.push(ic.close);
    const fake = await this.slack.start();
    this.closers.push(fake.close);
    let childDynamo = dynamoEndpoint;
    let proxy: DynamoProxy | undefined;
    if (this.options.throughProxy) {
      proxy = new DynamoProxy(dynamoEndpoint);
      childDynamo = await proxy.start();
      this.closers.push(() => proxy?.stop());
    }
    const dir = mkdtempSync(join(tmpdir(), `aws-access-${this.table}-`));
    this.closers.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "access.yml"), minuteGrantsConfigYaml());
    this.port = await freePort();
    const env = localBotEnv(childDynamo, this.table, {
      configPath: join(dir, "access.yml"),
      icEndpoint: ic.endpoint,
      slackApiUrl: fake.apiUrl,
      signingSecret: this.secret,
      botToken: `xoxb-${this.table}`,
      port: this.port,
    });
    this.started = { store: new DynamoGrantStore(dynamo, this.table), proxy, env };
  }

  /** Types `/aws-access <text>` as `who` to the running child. */
  slash(who: Person, text: string) {
    return slashAs(this, who, text);
  }

  /** Clicks a button on a grant as `who`, in the running child. */
  click(who: Person, action: keyof typeof ACTIONS, grantId: string) {
    return clickAs(this, who, action, grantId);
  }

  /** Starts a `serve` child and resolves once it answers on `port`. */
  serve(): Promise<ChildProcess> {
    return serveChild(this.running().env, this.port, (child) => this.children.push(child));
  }

  /** Kills a child with SIGKILL, as a crash would, and waits until it has exited. */
  async kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** Kills every child still running, so that none drives what the next test does. */
  async killAll(): Promise<void> {
    for (const child of this.children.splice(0)) await this.kill(child);
  }

  async stop(): Promise<void> {
    await this.killAll();
    for (const close of this.closers.splice(0).reverse()) await close();
  }

  private running() {
    if (!this.started) throw new Error("ServeRig is not started");
    return this.started;
  }
}
