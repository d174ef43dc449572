import { webApi } from "@slack/bolt";

export type WebClient = webApi.WebClient;

/**
 * Client settings for the bot: rate limits come back to SlackChat (which honours Retry-After itself),
 * and an outage fails within seconds instead of the library's default of retrying for half an hour.
 */
export function slackClientOptions(slackApiUrl?: string): webApi.WebClientOptions {
  return {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000, randomize: true },
    timeout: 10_000,
  };
}

/** A Web API client for the bot token, built by the entry point and passed to SlackChat. */
export function createSlackClient(token: string, slackApiUrl?: string): WebClient {
  return new webApi.WebClient(token, slackClientOptions(slackApiUrl));
}
