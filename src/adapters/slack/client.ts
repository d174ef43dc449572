import { type Logger as BoltLogger, LogLevel, WebClient, type WebClientOptions } from "@slack/web-api";
import type { Logger } from "../../app/ports.js";

/** The Web API client SlackChat takes (the same package and version Bolt uses, without Bolt's receivers). */
export type { WebClient };

/**
 * Client settings for the bot: rate limits come back to SlackChat (which honours Retry-After itself),
 * and an outage fails within seconds instead of the library's default of retrying for half an hour.
 */
export function slackClientOptions(slackApiUrl?: string, log?: Logger): WebClientOptions {
  return {
    ...(log ? { logger: slackLogger(log) } : {}),
    ...(slackApiUrl ? { slackApiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000, randomize: true },
    timeout: 10_000,
  };
}

/** A Web API client for the bot token, built by the entry point and passed to SlackChat. */
export function createSlackClient(token: string, slackApiUrl?: string, log?: Logger): WebClient {
  return new WebClient(token, slackClientOptions(slackApiUrl, log));
}

/** The Slack libraries' logger interface over the project's structured logger; Bolt's debug chatter is dropped. */
export function slackLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const line = (parts: unknown[]) =>
    parts.map((part) => (typeof part === "string" ? part : String(part))).join(" ");
  return {
    debug: () => {},
    info: (...parts: unknown[]) => log.info(`bolt: ${line(parts)}`),
    warn: (...parts: unknown[]) => log.warn(`bolt: ${line(parts)}`),
    error: (...parts: unknown[]) => log.error(`bolt: ${line(parts)}`),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
