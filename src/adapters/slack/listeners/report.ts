import { ServiceError } from "../../../app/errors.js";
import type { Logger } from "../../../app/ports.js";
import { DomainError } from "../../../domain/errors.js";
import { errorReference, errorText } from "../views/error-text.js";

/**
 * Logs a failure and returns the Slack text for it: a domain error is a refusal (info); a service failure is a
 * warning when it may pass and an error when it will not, with its detail and the reference the user is shown.
 */
export function report(log: Logger, where: string, error: unknown): string {
  const reference = errorReference();
  if (error instanceof DomainError) {
    log.info(`slack: ${where} refused`, { code: error.code, message: error.message });
  } else if (error instanceof ServiceError) {
    const fields = {
      reference,
      service: error.service,
      code: error.code,
      retryable: error.retryable,
      error: describe(error),
      ...(error.cause === undefined ? {} : { cause: describe(error.cause) }),
    };
    if (error.retryable) log.warn(`slack: ${where} failed: ${error.service} unavailable`, fields);
    else log.error(`slack: ${where} failed: ${error.service} refused`, fields);
  } else {
    log.error(`slack: ${where} failed`, { reference, error: describe(error) });
  }
  return errorText(error, reference);
}

/** Runs a reply to Slack that may itself fail (response_url gone, Slack down) without throwing. */
export async function quietly(log: Logger, where: string, reply: () => Promise<unknown>): Promise<void> {
  try {
    await reply();
  } catch (error) {
    log.warn(`slack: ${where} reply failed`, { error: describe(error) });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
