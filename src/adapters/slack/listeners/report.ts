import type { Logger } from "../../../app/ports.js";
import { DomainError } from "../../../domain/errors.js";
import { errorReference, errorText } from "../views/error-text.js";

/** Logs an unexpected failure under a reference and returns the Slack text for it. */
export function report(log: Logger, where: string, error: unknown): string {
  const reference = errorReference();
  if (error instanceof DomainError) {
    log.info(`slack: ${where} refused`, { code: error.code, message: error.message });
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
