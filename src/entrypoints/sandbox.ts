import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EVENTS_PATH } from "../adapters/slack/app.js";
import type { GrantStore, Logger } from "../app/ports.js";
import { loadConfig } from "../config/load.js";
import type { AccessConfig } from "../domain/config.js";
import type { IdentityCenterSimulator } from "../sim/identity-center/index.js";
import { Activity } from "../sim/sandbox/activity.js";
import { SandboxDriver } from "../sim/sandbox/driver.js";
import { renderCall } from "../sim/sandbox/render.js";
import {
  exampleRequest,
  SANDBOX_TZ,
  type SandboxPerson,
  type SandboxWorld,
  sandboxWorld,
} from "../sim/sandbox/seed.js";
import { type Closer, closeAll, startPage, startStandIns } from "../sim/sandbox/stand-ins.js";
import { openSandboxStore } from "../sim/sandbox/stores.js";
import { banner } from "../sim/sandbox/tables.js";
import type { FakeCall, FakeSlack } from "../sim/slack/fake-slack.js";
import { SandboxClock } from "../sim/workspace/clock.js";
import { PanelFeed, reportingGrants } from "../sim/workspace/feed.js";
import { timeOf, type Workspace } from "../sim/workspace/workspace.js";
import { startBot } from "./bot.js";
import type { Env } from "./runtime.js";

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

/** The real bot on loopback against the local Slack workspace, Identity Center simulator and `options.store`. */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const config = sandboxConfig(options.config);
  const world = sandboxWorld(config);
  const activity = new Activity();
  const clock = new SandboxClock();
  const closers: Closer[] = [];
  const stop = () => closeAll(closers, options.log);
  try {
    const botToken = `xoxb-sandbox-${randomBytes(12).toString("hex")}`;
    const signingSecret = randomBytes(16).toString("hex");
    const onCall = (call: FakeCall) => {
      activity.tick();
      options.onSlackCall?.(call);
    };
    const standIns = await startStandIns(world, { clock, log: options.log, botToken, onCall }, closers);
    const { sim, fake } = standIns;
    const panel = panelFor(config, world, sim, options.store, closers);
    const bot = await startBot({
      config,
      store: activity.watch(reportingGrants(options.store, (id) => panel.saw(id))),
      identity: activity.watch(standIns.identity),
      log: options.log,
      clock,
      slack: { signingSecret, botToken, port: 0, host: "127.0.0.1", slackApiUrl: standIns.slackApiUrl },
      sweepIntervalMs: 2_000,
    });
    closers.push(() => bot.stop());
    const page = {
      config,
      world,
      fake,
      clock,
      panel,
      botUrl: `http://127.0.0.1:${bot.port}`,
      signingSecret,
      port: options.port,
    };
    const { workspace, pageUrl } = await startPage(page, closers);
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

/** The live Identity Center panel beside the workspace, naming people as the sandbox does. */
function panelFor(
  config: AccessConfig,
  world: SandboxWorld,
  sim: IdentityCenterSimulator,
  store: GrantStore,
  closers: Closer[],
): PanelFeed {
  const names = new Map(world.people.map((p) => [p.slackId, p.name]));
  const panel = new PanelFeed({
    sim,
    store,
    config,
    person: (id) => names.get(id) ?? id,
    time: (ms) => timeOf(String(ms / 1000), SANDBOX_TZ),
  });
  closers.push(async () => panel.stop());
  return panel;
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
  const names = new Map<string, string>();
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
  for (const p of running.people) names.set(p.slackId, p.name);
  const driver = terminalDriver(running, store.store);
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
  await driveUntilStopped(driver);
  print(["Stopping the sandbox…"]);
  await running.stop();
  await store.close();
  return 0;
}

/** The terminal's driver: lines typed there become signed Slack requests to the running bot. */
function terminalDriver(running: RunningSandbox, store: GrantStore): SandboxDriver {
  return new SandboxDriver({
    eventsUrl: running.eventsUrl,
    signingSecret: running.signingSecret,
    fake: running.fake,
    sim: running.sim,
    store,
    config: running.config,
    people: running.people,
    activity: running.activity,
    print,
  });
}

/** Reads the terminal until it ends or a signal comes; with no terminal at all, waits for a signal. */
async function driveUntilStopped(driver: SandboxDriver): Promise<void> {
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
}
