import type { WebClient } from "@slack/web-api";
import { Pump } from "../adapters/scheduler/pump.js";
import { Sweeper, TimerScheduler } from "../adapters/scheduler/timer.js";
import { buildSlackApp, type SlackAppOptions } from "../adapters/slack/app.js";
import { SlackChat } from "../adapters/slack/chat.js";
import { createSlackClient } from "../adapters/slack/client.js";
import { type Installation, installationOf } from "../adapters/slack/installation.js";
import { deliverNotices } from "../app/deliver.js";
import type { AppDeps, Timings } from "../app/deps.js";
import { DriveQueue } from "../app/drive-queue.js";
import type { Clock, GrantStore, IdentityCenter, Logger } from "../app/ports.js";
import { driveGrant, sweepDue } from "../app/sweep.js";
import type { AccessConfig } from "../domain/config.js";

export interface SlackSettings {
  signingSecret: string;
  botToken: string;
  appToken?: string;
  slackApiUrl?: string;
  port: number;
  /** Interface to listen on; all interfaces when absent. */
  host?: string;
}

export interface BotParts {
  config: AccessConfig;
  store: GrantStore;
  identity: IdentityCenter;
  log: Logger;
  clock: Clock;
  slack: SlackSettings;
  /** How often the safety-net sweep runs; the timers handle the exact times. */
  sweepIntervalMs?: number;
  /** How often the notice sender looks for due notices besides being kicked. */
  noticeIntervalMs?: number;
  /** Claim and retry timings; tests shorten them. */
  timings?: Partial<Timings>;
}

export interface RunningBot {
  deps: AppDeps;
  /** The HTTP port listened on (useful with port 0), undefined in Socket Mode. */
  port: number | undefined;
  stop(): Promise<void>;
}

/** The long-running bot: Slack receiver, timers at each grant's next due time, and a sweep every few seconds. */
export async function startBot(parts: BotParts): Promise<RunningBot> {
  const inFlight = new Set<Promise<unknown>>();
  const client = createSlackClient(parts.slack.botToken, parts.slack.slackApiUrl, parts.log);
  const workers = grantWorkers(parts, () => deps, inFlight);
  // Which Slack team (and Grid organisation) may use the app: every interaction is checked against it.
  const installation = await installationOf(client);
  const deps = appDeps(parts, client, installation, workers);
  const { queue, scheduler, sender } = workers;
  const interval = parts.sweepIntervalMs ?? 5_000;
  const sweeper = new Sweeper(async (stopped) => {
    const report = await sweepDue(deps, { lookaheadMs: interval, stopped, queue });
    if (report.overdue > 0) parts.log.warn("sweep", { ...report });
  }, interval);
  const slack = buildSlackApp(receiverOptions(parts.slack, parts.log), deps);
  const port = await slack.start();
  sweeper.start();
  sender.start();
  parts.log.info("aws-access is running", { port, socketMode: Boolean(parts.slack.appToken) });
  return {
    deps,
    port,
    stop: async () => {
      scheduler.stop();
      queue.stop();
      await sweeper.stop();
      await sender.stop();
      await slack.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** What works on grants besides the listeners: the drive queue, the timers that feed it, the notice sender. */
interface GrantWorkers {
  queue: DriveQueue;
  scheduler: TimerScheduler;
  sender: Pump;
}

/** The workers, each running on the bot's deps once they exist; every drive is tracked until it ends. */
function grantWorkers(parts: BotParts, deps: () => AppDeps, inFlight: Set<Promise<unknown>>): GrantWorkers {
  // Every grant is driven through one queue: never twice at once in this process, expiries first.
  const queue = new DriveQueue((grantId) => {
    const work = driveGrant(deps(), grantId);
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  });
  const scheduler = new TimerScheduler(parts.clock, async (grantId) => queue.submit(grantId, "revoke"));
  // Slack is told by a sender of its own: a slow or hung Slack never holds up a state change.
  const sender = new Pump(
    async (stopped) => (await deliverNotices(deps(), { stopped })).more,
    parts.noticeIntervalMs ?? 1_000,
    (error) => parts.log.warn("notices: delivery pass failed", { error: String(error) }),
  );
  return { queue, scheduler, sender };
}

function appDeps(
  parts: BotParts,
  client: WebClient,
  installation: Installation,
  { queue, scheduler, sender }: GrantWorkers,
): AppDeps {
  return {
    installation,
    config: parts.config,
    store: parts.store,
    identity: parts.identity,
    // Rate limits go back to the sender, which waits out Retry-After per notice instead of in the call.
    chat: new SlackChat(client, parts.log, { maxRateLimitWaits: 0, now: () => parts.clock.now() }),
    scheduler,
    clock: parts.clock,
    log: parts.log,
    jobs: {
      drive: async (grantId) => queue.submit(grantId, "other"),
    },
    notices: {
      kick: async () => sender.kick(),
    },
    ...(parts.timings ? { timings: parts.timings } : {}),
  };
}

function receiverOptions(slack: SlackSettings, logger: Logger): SlackAppOptions {
  return {
    signingSecret: slack.signingSecret,
    botToken: slack.botToken,
    port: slack.port,
    logger,
    ...(slack.appToken ? { appToken: slack.appToken } : {}),
    ...(slack.slackApiUrl ? { slackApiUrl: slack.slackApiUrl } : {}),
    ...(slack.host ? { host: slack.host } : {}),
  };
}
