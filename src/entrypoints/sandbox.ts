import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { IdentityCenterAdapter } from "../adapters/identity-center/adapter.js";
import { EVENTS_PATH } from "../adapters/slack/app.js";
import type { GrantStore, Logger } from "../app/ports.js";
import { loadConfig } from "../config/load.js";
import type { AccessConfig } from "../domain/config.js";
import { IdentityCenterSimulator } from "../sim/identity-center/index.js";
import { Activity } from "../sim/sandbox/activity.js";
import { SandboxDriver } from "../sim/sandbox/driver.js";
import { COMMAND_CHANNEL } from "../sim/sandbox/payloads.js";
import { renderCall } from "../sim/sandbox/render.js";
import { exampleRequest, SANDBOX_TZ, type SandboxPerson, sandboxWorld } from "../sim/sandbox/seed.js";
import { openSandboxStore } from "../sim/sandbox/stores.js";
import { banner } from "../sim/sandbox/tables.js";
import { type FakeCall, FakeSlack } from "../sim/slack/fake-slack.js";
import { SandboxClock } from "../sim/workspace/clock.js";
import { PanelFeed, reportingGrants } from "../sim/workspace/feed.js";
import { Interactions } from "../sim/workspace/interactions.js";
import { WorkspaceServer } from "../sim/workspace/server.js";
import { timeOf, Workspace } from "../sim/workspace/workspace.js";
import { startBot } from "./bot.js";
import type { Env } from "./runtime.js";

/** How long the simulated Identity Center keeps an assignment IN_PROGRESS, so provisioning is visible. */
const SIMULATOR_DELAY_MS = 300;
/** The shortest grant in the sandbox, so a whole lifecycle fits in a couple of minutes. */
export const SANDBOX_MIN_DURATION_SECONDS = 60;

/** What a sandbox is started with; tests pass their own store and port 0. */
export interface SandboxOptions {
  config: AccessConfig;
  store: GrantStore;
  /** Port of the page (and of the forwarded /slack/events); 0 picks a free one. */
  port: number;
  log: Logger;
  /** Every Web API call the bot makes, e.g. to print it in the terminal. */
  onSlackCall?: (call: FakeCall) => void;
}

/** A running sandbox and its parts, for the terminal driver and the browser tests. */
export interface RunningSandbox {
  /** The workspace page, e.g. http://127.0.0.1:3000/. */
  pageUrl: string;
  /** The bot's /slack/events, next to the page. */
  eventsUrl: string;
  signingSecret: string;
  config: AccessConfig;
  people: SandboxPerson[];
  baseline: string[];
  fake: FakeSlack;
  sim: IdentityCenterSimulator;
  clock: SandboxClock;
  activity: Activity;
  workspace: Workspace;
  stop(): Promise<void>;
}

/** The config the sandbox runs: the operator's, with grants allowed down to a minute. */
export function sandboxConfig(config: AccessConfig): AccessConfig {
  const minDurationSeconds = Math.min(config.defaults.minDurationSeconds, SANDBOX_MIN_DURATION_SECONDS);
  return { ...config, defaults: { ...config.defaults, minDurationSeconds } };
}

/** The channels the workspace lists: where commands are typed, where approvals and the audit trail go. */
function channelsOf(config: AccessConfig): Array<{ id: string; name: string }> {
  const ids = [
    COMMAND_CHANNEL,
    config.slack.approvalChannel,
    ...config.rules.map((rule) => rule.channel).filter((c): c is string => Boolean(c)),
    ...(config.slack.auditChannel ? [config.slack.auditChannel] : []),
  ];
  return [...new Set(ids)].map((id) => ({ id, name: id.replace(/^C0?/, "").toLowerCase() }));
}

/** The real bot on loopback against the local Slack workspace, Identity Center simulator and `options.store`. */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const config = sandboxConfig(options.config);
  const world = sandboxWorld(config);
  const activity = new Activity();
  const clock = new SandboxClock();
  const closers: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const close of closers.splice(0).reverse()) {
      await close().catch((error: unknown) =>
        options.log.warn("sandbox: stopping failed", { error: String(error) }),
      );
    }
  };
  try {
    const sim = new IdentityCenterSimulator({ seed: world.seed, faults: { delayMs: SIMULATOR_DELAY_MS } });
    const simServer = await sim.start();
    closers.push(async () => {
      sim.reset();
      await simServer.close();
    });
    const botToken = `xoxb-sandbox-${randomBytes(12).toString("hex")}`;
    const signingSecret = randomBytes(16).toString("hex");
    const fake = new FakeSlack({
      users: world.people.map((p) => ({ id: p.slackId, email: p.email, name: p.name, tz: SANDBOX_TZ })),
      token: botToken,
      now: () => clock.now(),
      onCall: (call) => {
        activity.tick();
        options.onSlackCall?.(call);
      },
    });
    const slack = await fake.start();
    closers.push(() => slack.close());
    const common = {
      endpoint: simServer.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDSANDBOX", secretAccessKey: "sandbox-secret" },
      // The adapter retries with its own backoff and rate limiter.
      maxAttempts: 1,
    };
    const ssoAdmin = new SSOAdminClient(common);
    const identityStore = new IdentitystoreClient(common);
    closers.push(async () => {
      ssoAdmin.destroy();
      identityStore.destroy();
    });
    const identity = new IdentityCenterAdapter({
      ssoAdmin,
      identityStore,
      ...(world.seed.instance ? world.seed.instance : {}),
      clock,
      logger: options.log,
      poll: { initialMs: 200, maxMs: 1_000 },
    });
    const names = new Map(world.people.map((p) => [p.slackId, p.name]));
    const panel = new PanelFeed({
      sim,
      store: options.store,
      config,
      person: (id) => names.get(id) ?? id,
      time: (ms) => timeOf(String(ms / 1000), SANDBOX_TZ),
    });
    closers.push(async () => panel.stop());
    const bot = await startBot({
      config,
      store: activity.watch(reportingGrants(options.store, (id) => panel.saw(id))),
      identity: activity.watch(identity),
      log: options.log,
      clock,
      slack: { signingSecret, botToken, port: 0, host: "127.0.0.1", slackApiUrl: slack.apiUrl },
      sweepIntervalMs: 2_000,
    });
    closers.push(() => bot.stop());
    const botUrl = `http://127.0.0.1:${bot.port}`;
    const workspace = new Workspace(fake, world.people, channelsOf(config), {
      tz: SANDBOX_TZ,
      now: () => clock.now(),
    });
    const interactions = new Interactions(workspace, fake, {
      eventsUrl: `${botUrl}${EVENTS_PATH}`,
      signingSecret,
    });
    const example = exampleRequest(config, world.people);
    const server = new WorkspaceServer({
      workspace,
      interactions,
      panel,
      clock,
      botUrl,
      ...(example ? { example: `/aws-access ${example.text}` } : {}),
    });
    const pageUrl = await server.start(options.port);
    closers.push(() => server.close());
    activity.onTick(() => panel.poke());
    clock.onChange(() => panel.poke());
    await panel.refresh();
    return {
      pageUrl,
      eventsUrl: `${pageUrl.replace(/\/$/, "")}${EVENTS_PATH}`,
      signingSecret,
      config,
      people: world.people,
      baseline: world.baseline,
      fake,
      sim,
      clock,
      activity,
      workspace,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const print = (lines: string[]) => {
  if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
};

/** The config at ACCESS_CONFIG when that file exists, else the example; a broken file fails the start. */
async function configAt(path: string): Promise<{ config: AccessConfig; source: string }> {
  if (existsSync(path)) return { config: await loadConfig(path), source: path };
  const example = fileURLToPath(new URL("../../access.example.yml", import.meta.url));
  return {
    config: await loadConfig(example),
    source: `access.example.yml (there is no ${path}; set ACCESS_CONFIG to use your own)`,
  };
}

/** Warnings and errors only, one short line each: the terminal is for what the bot says in Slack. */
function terminalLogger(): Logger {
  const line = (level: string, msg: string, fields?: Record<string, unknown>) =>
    print([
      `! ${level}: ${msg}${fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ""}`,
    ]);
  return {
    info: () => {},
    warn: (msg, fields) => line("warn", msg, fields),
    error: (msg, fields) => line("error", msg, fields),
  };
}

/** `sandbox`: the real bot on this machine against local stand-ins, played from the page or the terminal. */
export async function sandbox(env: Env): Promise<number> {
  // The SDK's notice about Node versions is for deployments; in the sandbox it only hides the banner.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const { config, source } = await configAt(env.configPath);
  print([`Config: ${source}`]);
  const log = terminalLogger();
  const store = await openSandboxStore(env.grantsTable, (line) => print([line]));
  let names = new Map<string, string>();
  let running: RunningSandbox;
  try {
    running = await startSandbox({
      config,
      store: store.store,
      port: env.port,
      log,
      onSlackCall: (call) => print(renderCall(call, names) ?? []),
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  names = new Map(running.people.map((p) => [p.slackId, p.name]));
  const driver = new SandboxDriver({
    eventsUrl: running.eventsUrl,
    signingSecret: running.signingSecret,
    fake: running.fake,
    sim: running.sim,
    store: store.store,
    config: running.config,
    people: running.people,
    activity: running.activity,
    print,
  });
  print(
    banner({
      config: running.config,
      storeDescription: store.description,
      eventsUrl: running.eventsUrl,
      pageUrl: running.pageUrl,
      people: running.people,
      baseline: running.baseline,
      example: exampleRequest(running.config, running.people),
    }),
  );
  let signalled = false;
  let wake: () => void = () => {};
  const stop = () => {
    signalled = true;
    driver.stop();
    wake();
  };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const signal of signals) process.once(signal, stop);
  try {
    const interactive = Boolean(process.stdin.isTTY);
    await driver.run(process.stdin, interactive);
    if (!interactive && !signalled && driver.linesRead === 0) {
      // No terminal at all (stdin from /dev/null, a service): the page is the way in, until a signal.
      print(["No terminal input: the page keeps running until Ctrl-C (or SIGTERM)."]);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    for (const signal of signals) process.removeListener(signal, stop);
    process.stdin.pause();
  }
  print(["Stopping the sandbox…"]);
  await running.stop();
  await store.close();
  return 0;
}
