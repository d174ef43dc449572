/** Base of every Slack adapter failure: a stable `code`, the Slack error kept as `cause`. */
export abstract class SlackAdapterError extends Error {
  abstract readonly code: string;
  constructor(
    readonly method: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Slack kept answering `ratelimited` after the waits it asked for. */
export class SlackRateLimited extends SlackAdapterError {
  readonly code = "SLACK_RATE_LIMITED";
  constructor(
    method: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(method, `Slack rate-limited ${method} (retry after ${retryAfterSeconds} s)`, options);
  }
}

/** Slack could not be reached or answered with an HTTP error: an outage, not a refusal. */
export class SlackUnavailable extends SlackAdapterError {
  readonly code = "SLACK_UNAVAILABLE";
  constructor(method: string, detail: string, options?: { cause?: unknown }) {
    super(method, `Slack ${method} failed: ${detail}`, options);
  }
}

/** Slack answered `ok: false` (e.g. channel_not_found, not_in_channel, user_not_found). */
export class SlackRejected extends SlackAdapterError {
  readonly code = "SLACK_REJECTED";
  constructor(
    method: string,
    readonly slackError: string,
    options?: { cause?: unknown },
  ) {
    super(method, `Slack refused ${method}: ${slackError}`, options);
  }
}
