import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ServiceError } from "../../app/errors.js";

/** The Slack app credentials the Lambda functions need, kept in one JSON secret. */
export interface SlackSecrets {
  signingSecret: string;
  botToken: string;
}

/**
 * The secret could not be read (retryable) or does not hold what the bot needs (final until an operator fixes it);
 * the message never holds a value.
 */
export class SlackSecretInvalid extends ServiceError {
  readonly code = "SLACK_SECRET_INVALID";
  readonly service = "Secrets Manager" as const;
  constructor(message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, { retryable: false, ...options });
  }
}

const KEYS = ["signingSecret", "botToken"] as const;

const cache = new Map<string, Promise<SlackSecrets>>();

async function fetchSlackSecrets(client: SecretsManagerClient, secretName: string): Promise<SlackSecrets> {
  let text: string | undefined;
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretName }));
    text = out.SecretString;
  } catch (error) {
    const name = error instanceof Error ? error.name : "error";
    throw new SlackSecretInvalid(`cannot read secret ${secretName} (${name})`, {
      cause: error,
      retryable: true,
    });
  }
  if (text === undefined) {
    throw new SlackSecretInvalid(
      `secret ${secretName} has no string value: store JSON with ${KEYS.join(" and ")}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SlackSecretInvalid(
      `secret ${secretName} is not JSON: store {"signingSecret": …, "botToken": …}`,
    );
  }
  if (parsed === null || typeof parsed !== "object") {
    throw new SlackSecretInvalid(`secret ${secretName} is not a JSON object`);
  }
  const record = parsed as Record<string, unknown>;
  const missing = KEYS.filter((key) => typeof record[key] !== "string" || record[key] === "");
  if (missing.length > 0) {
    throw new SlackSecretInvalid(
      `secret ${secretName} lacks ${missing.join(" and ")} (a non-empty string each)`,
    );
  }
  return { signingSecret: String(record.signingSecret), botToken: String(record.botToken) };
}

/** Reads the Slack secret once per cold start; a failed read is not cached, so the next call tries again. */
export function loadSlackSecrets(client: SecretsManagerClient, secretName: string): Promise<SlackSecrets> {
  const cached = cache.get(secretName);
  if (cached) return cached;
  const pending = fetchSlackSecrets(client, secretName);
  cache.set(secretName, pending);
  pending.catch(() => cache.delete(secretName));
  return pending;
}

/** Forgets memoised secrets; for tests and for a rotation handler. */
export function forgetSlackSecrets(): void {
  cache.clear();
}
