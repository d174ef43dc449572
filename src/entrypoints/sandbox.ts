import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { IdentityCenterAdapter } from "../adapters/identity-center/adapter.js";
import { EVENTS_PATH } from "../adapters/slack/app.js";
import type { Logger } from "../app/ports.js";
import { loadConfig } from "../config/load.js";
import type { AccessConfig } from "../domain/config.js";
import { IdentityCenterSimulator } from "../sim/identity-center/index.js";
import { Activity } from "../sim/sandbox/activity.js";
import { SandboxDriver } from "../sim/sandbox/driver.js";
import { renderCall } from "../sim/sandbox/render.js";
import { exampleRequest, SANDBOX_TZ, sandboxWorld } from "../sim/sandbox/seed.js";
import { openSandboxStore } from "../sim/sandbox/stores.js";
import { banner } from "../sim/sandbox/tables.js";
import { FakeSlack } from "../sim/slack/fake-slack.js";
import { startBot } from "./bot.js";
import { type Env, systemClock } from "./runtime.js";

/** How long the simulated Identity Center keeps an assignment IN_PROGRESS, so provisioning is visible. */
const SIMULATOR_DELAY_MS = 300;

const print = (lines: string[]) => {
  if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
};

/** The config at ACCESS_CONFIG when that file exists, else the example; a broken file fails the start. */
async function sandboxConfig(path: string): Promise<{ config: AccessConfig; source: string }> {
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

/** `sandbox`: the real bot on this machine against local Slack, Identity Center and DynamoDB stand-ins. */
export async function sandbox(env: Env): Promise<number> {
  // The SDK's notice about Node versions is for deployments; in the sandbox it only hides the banner.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const { config, source } = await sandboxConfig(env.configPath);
  print([`Config: ${source}`]);
  const world = sandboxWorld(config);
  const names = new Map(world.people.map((p) => [p.slackId, p.name]));
  const activity = new Activity();
  const log = terminalLogger();
  const closers: Array<() => Promise<void>> = [];
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
      onCall: (call) => {
        activity.tick();
        print(renderCall(call, names) ?? []);
      },
    });
    const slack = await fake.start();
    closers.push(() => slack.close());
    const store = await openSandboxStore(env.grantsTable, (line) => print([line]));
    closers.push(() => store.close());
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
      clock: systemClock,
      logger: log,
      poll: { initialMs: 200, maxMs: 1_000 },
    });
    const bot = await startBot({
      config,
      store: activity.watch(store.store),
      identity: activity.watch(identity),
      log,
      clock: systemClock,
      slack: { signingSecret, botToken, port: env.port, host: "127.0.0.1", slackApiUrl: slack.apiUrl },
      sweepIntervalMs: 2_000,
    });
    closers.push(() => bot.stop());
    const eventsUrl = `http://127.0.0.1:${bot.port}${EVENTS_PATH}`;
    const driver = new SandboxDriver({
      eventsUrl,
      signingSecret,
      fake,
      sim,
      store: store.store,
      config,
      people: world.people,
      activity,
      print,
    });
    print(
      banner({
        config,
        storeDescription: store.description,
        eventsUrl,
        people: world.people,
        baseline: world.baseline,
        example: exampleRequest(config, world.people),
      }),
    );
    const stop = () => driver.stop();
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
    for (const signal of signals) process.once(signal, stop);
    try {
      await driver.run(process.stdin, Boolean(process.stdin.isTTY));
    } finally {
      for (const signal of signals) process.removeListener(signal, stop);
      process.stdin.pause();
    }
    print(["Stopping the sandbox…"]);
    return 0;
  } finally {
    for (const close of closers.reverse()) {
      await close().catch((error: unknown) => log.warn("sandbox: stopping failed", { error: String(error) }));
    }
  }
}
