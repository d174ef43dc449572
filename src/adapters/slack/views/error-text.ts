import { randomBytes } from "node:crypto";
import { AssignmentRefused, ServiceError, type ServiceName } from "../../../app/errors.js";
import { DomainError } from "../../../domain/errors.js";
import { escapeText } from "../escape.js";

/** A short reference the user can quote and operators can find in the logs. */
export function errorReference(): string {
  return randomBytes(4).toString("hex");
}

/** How people know each service: every AWS service is "AWS" to them. */
const SPOKEN: Record<ServiceName, string> = {
  "Identity Center": "AWS",
  DynamoDB: "AWS",
  "EventBridge Scheduler": "AWS",
  "Secrets Manager": "AWS",
  Lambda: "AWS",
  Slack: "Slack",
};

/**
 * The one place errors become Slack text: a domain error says what was wrong; a service failure becomes words
 * chosen here (never its raw message, which can carry ARNs) with a reference into the log; anything else likewise.
 */
export function errorText(error: unknown, reference: string = errorReference()): string {
  if (error instanceof DomainError) return `:warning: ${escapeText(error.message)}`;
  const ref = `Reference: \`${escapeText(reference)}\``;
  if (error instanceof AssignmentRefused) {
    return `:x: Identity Center said no: ${escapeText(error.words)}. ${ref}`;
  }
  if (error instanceof ServiceError) {
    const who = SPOKEN[error.service] ?? "A service the bot depends on";
    return error.retryable
      ? `:warning: ${who} is not answering right now; nothing was changed. Try again in a minute. ${ref}`
      : `:warning: ${who} refused what the bot asked; nothing was changed. An administrator can find why in the log. ${ref}`;
  }
  return `:warning: Something went wrong on our side; nothing was changed. ${ref}`;
}
