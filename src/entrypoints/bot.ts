import { Sweeper, TimerScheduler } from "../adapters/scheduler/timer.js";
import { buildSlackApp } from "../adapters/slack/app.js";
import { SlackChat } from "../adapters/slack/chat.js";
import { createSlackClient } from "../adapters/slack/client.js";
import type { AppDeps } from "../app/deps.js";
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
  const scheduler = new TimerScheduler(parts.clock, (grantId) => {
    const work = driveGrant(deps, grantId);
    track(work);
    return work;
  });
  const deps: AppDeps = {
    config: parts.config,
    store: parts.store,
    identity: parts.identity,
    chat: new SlackChat(client, parts.log),
    scheduler,
    clock: parts.clock,
    log: parts.log,
    jobs: {
      drive: async (grantId) => {
        track(driveGrant(deps, grantId));
      },
    },
  };
  const interval = parts.sweepIntervalMs ?? 5_000;
  const sweeper = new Sweeper(async (stopped) => {
    const report = await sweepDue(deps, { lookaheadMs: interval, stopped });
    if (report.errors > 0 || report.overdue > 0) parts.log.warn("sweep", { ...report });
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
  parts.log.info("aws-access is running", { port, socketMode: Boolean(parts.slack.appToken) });
  return {
    deps,
    port,
    stop: async () => {
      scheduler.stop();
      await sweeper.stop();
      await slack.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}
