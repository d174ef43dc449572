import { randomBytes } from "node:crypto";
import { DomainError } from "../../../domain/errors.js";
import { escapeText } from "../escape.js";

/** A short reference the user can quote and operators can find in the logs. */
export function errorReference(): string {
  return randomBytes(4).toString("hex");
}

/** The one place errors become Slack text: domain errors say what was wrong, anything else stays private. */
export function errorText(error: unknown, reference: string = errorReference()): string {
  if (error instanceof DomainError) return `:warning: ${escapeText(error.message)}`;
  return `:warning: Something went wrong on our side; nothing was changed. Reference: \`${reference}\``;
}
