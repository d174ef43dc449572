import { createHmac } from "node:crypto";

/** A request as Slack would send it to /slack/events. */
export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Signs a raw body the way Slack does (v0, HMAC-SHA256 over `v0:<timestamp>:<body>`). */
export function signBody(
  secret: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): SignedRequest {
  const base = `v0:${timestampSeconds}:${body}`;
  const signature = `v0=${createHmac("sha256", secret).update(base).digest("hex")}`;
  return {
    body,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestampSeconds),
      "x-slack-signature": signature,
    },
  };
}

/** A slash command body: the fields form-encoded. */
export function slashCommandBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** An interactivity body (block action, view submission): the payload as JSON in a `payload` field. */
export function interactionBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
