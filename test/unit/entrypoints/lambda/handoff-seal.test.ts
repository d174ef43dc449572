import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  HANDOFF_MAX_AGE_MS,
  handoffKey,
  type SealedHandoff,
  sealHandoff,
  unsealHandoff,
} from "../../../../src/entrypoints/lambda/handoff-seal.js";
import { blockActionPayload } from "../../../support/slack.js";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const NOW = Date.UTC(2026, 10, 27, 9, 0, 0);
const key = handoffKey(SECRET);
const body = blockActionPayload({ value: "k7m2x9qa", userId: "U0LEAD" });
const opened = [{ status: 200, headers: { "content-type": "application/json" }, body: '{"ok":true}' }];

/** As Lambda delivers it: the payload's JSON text, parsed again in the worker. */
function delivered(sealed: SealedHandoff): unknown {
  return (JSON.parse(JSON.stringify({ slack: sealed })) as { slack: unknown }).slack;
}

describe("the seal on a hand-off from the Slack function to the worker", () => {
  it("opens after Lambda's JSON round trip, with the body and answers it sealed", () => {
    const odd = { ...body, text: "ünïcödé 🚀 <@U0ADMIN> & \u2028", n: 0.1 + 0.2, big: 1e21, empty: "" };
    const sealed = sealHandoff(key, { body: odd, opened }, NOW);
    expect(unsealHandoff(key, delivered(sealed), NOW + 1_000)).toEqual({
      ok: true,
      handoff: { body: odd, opened },
    });
  });

  it("derives a key of its own from the signing secret: a seal made with the secret itself is refused", () => {
    expect(key).toHaveLength(32);
    const withSecret = { ...sealHandoff(Buffer.from(SECRET), { body }, NOW) };
    expect(unsealHandoff(key, delivered(withSecret), NOW)).toEqual({ ok: false, reason: "bad signature" });
  });

  it.each([
    ["an event with no signature", { body }, "unsigned"],
    ["an event with no time", { body, signature: "0".repeat(64) }, "unsigned"],
    ["a signature that is not hex", { body, at: NOW, signature: "z".repeat(64) }, "bad signature"],
    ["a signature of another length", { body, at: NOW, signature: "ab" }, "bad signature"],
    ["no body", { at: NOW, signature: "0".repeat(64) }, "no request body"],
    ["a body that is a list", { body: [body], at: NOW, signature: "0".repeat(64) }, "no request body"],
    ["nothing", null, "not an object"],
  ])("refuses %s", (_, event, reason) => {
    expect(unsealHandoff(key, event, NOW)).toEqual({ ok: false, reason });
  });

  it.each([
    ["the acting user", (s: SealedHandoff) => ({ ...s, body: { ...s.body, user: { id: "U0ADMIN" } } })],
    ["the recorded answers", (s: SealedHandoff) => ({ ...s, opened: [{ error: "changed" }] })],
    ["the answers, left out", (s: SealedHandoff) => ({ body: s.body, at: s.at, signature: s.signature })],
    ["the time it was sealed", (s: SealedHandoff) => ({ ...s, at: s.at + 1 })],
  ])("refuses a sealed hand-off whose %s changed on the way", (_, change) => {
    const sealed = sealHandoff(key, { body, opened }, NOW);
    expect(unsealHandoff(key, delivered(change(sealed) as SealedHandoff), NOW)).toEqual({
      ok: false,
      reason: "bad signature",
    });
  });

  it("refuses a hand-off sealed with a key from another secret", () => {
    const sealed = sealHandoff(handoffKey("another-secret"), { body }, NOW);
    expect(unsealHandoff(key, delivered(sealed), NOW)).toEqual({ ok: false, reason: "bad signature" });
  });

  it("refuses one sealed more than 30 minutes ago, and one sealed ahead of the worker's clock", () => {
    const old = sealHandoff(key, { body }, NOW - HANDOFF_MAX_AGE_MS - 1_000);
    expect(unsealHandoff(key, delivered(old), NOW)).toEqual({
      ok: false,
      reason: "stale: sealed 1801 s ago",
    });
    const edge = sealHandoff(key, { body }, NOW - HANDOFF_MAX_AGE_MS);
    expect(unsealHandoff(key, delivered(edge), NOW).ok).toBe(true);
    const ahead = sealHandoff(key, { body }, NOW + 60_000);
    expect(unsealHandoff(key, delivered(ahead), NOW)).toEqual({ ok: false, reason: "sealed in the future" });
  });

  it("signs with HMAC-SHA256 under the derived key", () => {
    const sealed = sealHandoff(key, { body }, NOW);
    const text = JSON.stringify(["v1", NOW, body, []]);
    expect(sealed.signature).toBe(createHmac("sha256", key).update(text).digest("hex"));
  });
});
