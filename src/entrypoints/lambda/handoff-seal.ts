import { createHmac, timingSafeEqual } from "node:crypto";
import type { RecordedAnswer } from "./triggered-calls.js";

/** What the Slack function hands to the worker: the body Bolt parsed, and the answers to views it opened before ack. */
export interface SlackHandoff {
  body: Record<string, unknown>;
  opened?: RecordedAnswer[];
}

/** A hand-off as it travels: when the Slack function sealed it, and its HMAC-SHA256 over that and the handoff. */
export interface SealedHandoff extends SlackHandoff {
  at: number;
  signature: string;
}

/** The hand-off key is derived under this label from the Slack signing secret: one key for this one use. */
const KEY_LABEL = "aws-access worker hand-off v1";
/**
 * Older hand-offs are refused: a payload read from somewhere cannot be replayed later. As long as Slack's
 * response_url lives, so that a hand-off that waited in Lambda's queue behind a busy worker still runs.
 */
export const HANDOFF_MAX_AGE_MS = 30 * 60_000;
/** The two functions' clocks may differ this much. */
const HANDOFF_MAX_AHEAD_MS = 30_000;
const SIGNATURE = /^[0-9a-f]{64}$/;

/** The key both functions derive from the Slack signing secret (which only they read); never logged. */
export function handoffKey(signingSecret: string): Buffer {
  return createHmac("sha256", signingSecret).update(KEY_LABEL).digest();
}

/** Seals a hand-off at `at` (epoch ms): the worker runs it only with this signature, for HANDOFF_MAX_AGE_MS. */
export function sealHandoff(key: Buffer, handoff: SlackHandoff, at: number): SealedHandoff {
  return { ...handoff, at, signature: mac(key, at, handoff).toString("hex") };
}

export type Unsealed = { ok: true; handoff: SlackHandoff } | { ok: false; reason: string };

/**
 * Checks a hand-off the worker was invoked with: it must carry a signature made with the key over its time, body and
 * recorded answers (compared in constant time), and be no older than HANDOFF_MAX_AGE_MS at `now`. The reason for a
 * refusal names no content of the hand-off.
 */
export function unsealHandoff(key: Buffer, event: unknown, now: number): Unsealed {
  if (typeof event !== "object" || event === null) return { ok: false, reason: "not an object" };
  const { body, opened, at, signature } = event as Record<string, unknown>;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, reason: "no request body" };
  }
  if (opened !== undefined && !Array.isArray(opened)) return { ok: false, reason: "malformed answers" };
  if (typeof signature !== "string" || typeof at !== "number" || !Number.isFinite(at)) {
    return { ok: false, reason: "unsigned" };
  }
  const handoff: SlackHandoff = {
    body: body as Record<string, unknown>,
    ...(opened === undefined ? {} : { opened: opened as RecordedAnswer[] }),
  };
  const expected = mac(key, at, handoff);
  const given = SIGNATURE.test(signature) ? Buffer.from(signature, "hex") : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "bad signature" };
  }
  if (at > now + HANDOFF_MAX_AHEAD_MS) return { ok: false, reason: "sealed in the future" };
  if (now - at > HANDOFF_MAX_AGE_MS) {
    return { ok: false, reason: `stale: sealed ${Math.round((now - at) / 1000)} s ago` };
  }
  return { ok: true, handoff };
}

/** HMAC-SHA256 over the version, the time and the hand-off, as one JSON text (the same after Lambda's round trip). */
function mac(key: Buffer, at: number, { body, opened }: SlackHandoff): Buffer {
  const text = JSON.stringify(["v1", at, body, opened ?? []]);
  return createHmac("sha256", key).update(text).digest();
}
