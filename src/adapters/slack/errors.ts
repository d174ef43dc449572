import { ServiceError } from "../../app/errors.js";

/** Slack errors that say Slack itself is struggling, so the same call may work later. */
const TRANSIENT_SLACK_ERRORS = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
]);

/** Base of every Slack adapter failure: a ServiceError naming Slack, the Web API method and the Slack error as `cause`. */
export abstract class SlackAdapterError extends ServiceError {
  readonly service = "Slack" as const;
  constructor(
    readonly method: string,
    message: string,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(message, options);
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

/** Slack answered `ok: false` (e.g. channel_not_found, not_in_channel, user_not_found): final unless Slack is struggling. */
export class SlackRejected extends SlackAdapterError {
  readonly code = "SLACK_REJECTED";
  constructor(
    method: string,
    readonly slackError: string,
    options?: { cause?: unknown },
  ) {
    super(method, `Slack refused ${method}: ${slackError}`, {
      ...options,
      retryable: TRANSIENT_SLACK_ERRORS.has(slackError),
    });
  }
}
