import { Pump } from "../adapters/scheduler/pump.js";
import { Sweeper, TimerScheduler } from "../adapters/scheduler/timer.js";
import { buildSlackApp } from "../adapters/slack/app.js";
import { SlackChat } from "../adapters/slack/chat.js";
import { createSlackClient } from "../adapters/slack/client.js";
import { installationOf } from "../adapters/slack/installation.js";
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
  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const client = createSlackClient(parts.slack.botToken, parts.slack.slackApiUrl, parts.log);
  // Every grant is driven through one queue: never twice at once in this process, expiries first.
  const queue = new DriveQueue((grantId) => {
    const work = driveGrant(deps, grantId);
    track(work);
    return work;
  });
  const scheduler = new TimerScheduler(parts.clock, async (grantId) => queue.submit(grantId, "revoke"));
  // Slack is told by a sender of its own: a slow or hung Slack never holds up a state change.
  const sender = new Pump(
    async (stopped) => (await deliverNotices(deps, { stopped })).more,
    parts.noticeIntervalMs ?? 1_000,
    (error) => parts.log.warn("notices: delivery pass failed", { error: String(error) }),
  );
  // Which Slack team (and Grid organisation) may use the app: every interaction is checked against it.
  const installation = await installationOf(client);
  const deps: AppDeps = {
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
  const interval = parts.sweepIntervalMs ?? 5_000;
  const sweeper = new Sweeper(async (stopped) => {
    const report = await sweepDue(deps, { lookaheadMs: interval, stopped, queue });
    if (report.overdue > 0) parts.log.warn("sweep", { ...report });
  }, interval);
  const slack = buildSlackApp(
    {
      signingSecret: parts.slack.signingSecret,
      botToken: parts.slack.botToken,
      port: parts.slack.port,
      logger: parts.log,
      ...(parts.slack.appToken ? { appToken: parts.slack.appToken } : {}),
      ...(parts.slack.slackApiUrl ? { slackApiUrl: parts.slack.slackApiUrl } : {}),
      ...(parts.slack.host ? { host: parts.slack.host } : {}),
    },
    deps,
  );
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
