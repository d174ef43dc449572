import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/adapters/slack/action-ids.js";
import { SlackChat, type SlackChatOptions } from "../../src/adapters/slack/chat.js";
import { createSlackClient } from "../../src/adapters/slack/client.js";
import { SlackRateLimited, SlackRejected, SlackUnavailable } from "../../src/adapters/slack/errors.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { exampleConfig } from "../support/example-config.js";
import { MemoryLogger } from "../support/fakes.js";
import { aGrant, anAuditEvent } from "../support/grant-builder.js";

const TOKEN = "xoxb-test-token";
const NOW = Date.UTC(2026, 10, 27, 12, 30);
const HOUR = 3600_000;

function buttonsIn(blocks: unknown[] | undefined): string[] {
  return JSON.stringify(blocks ?? []).match(/grant_[a-z_]+/g) ?? [];
}

describe("SlackChat", () => {
  let slack: FakeSlack;
  let close: () => Promise<void>;
  let apiUrl: string;
  let waits: number[];
  const config = exampleConfig();

  function chat(options: SlackChatOptions = {}): SlackChat {
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    return new SlackChat(createSlackClient(TOKEN, apiUrl, new MemoryLogger()), new MemoryLogger(), {
      now: () => NOW,
      sleep,
      ...options,
    });
  }

  beforeEach(async () => {
    waits = [];
    slack = new FakeSlack({
      token: TOKEN,
      users: [
        { id: "U0REQUESTER", email: "dev@example.com", tz: "Europe/Berlin" },
        { id: "U0NOEMAIL", tz: "America/New_York" },
      ],
    });
    ({ apiUrl, close } = await slack.start());
  });

  afterEach(async () => {
    await close();
  });

  it("posts the approval request with buttons to the rule's channel", async () => {
    const ref = await chat().postRequest(aGrant({ id: "tstaaaa2" }), "C0PRODADMIN");
    expect(ref.channel).toBe("C0PRODADMIN");
    const [message] = slack.messagesIn("C0PRODADMIN");
    expect(message?.ts).toBe(ref.ts);
    expect(message?.text).toContain("`tstaaaa2`");
    expect(buttonsIn(message?.blocks)).toEqual([ACTIONS.approve, ACTIONS.deny]);
  });

  it("updates the approval message in place once decided", async () => {
    const slackChat = chat();
    const ref = await slackChat.postRequest(aGrant({ id: "tstaaaa2" }), "C0PRODADMIN");
    const decided = aGrant({ id: "tstaaaa2", status: "denied", decidedBy: "U0ADMIN", decidedAt: NOW });
    await slackChat.updateRequest(ref, decided);
    const [message] = slack.messagesIn(ref.channel);
    expect(message?.updates).toBe(1);
    expect(buttonsIn(message?.blocks)).toEqual([]);
    expect(JSON.stringify(message?.blocks)).toContain("Denied by <@U0ADMIN>");
  });

  it("reads email and time zone from users.info and reuses the answer", async () => {
    const slackChat = chat();
    expect(await slackChat.user("U0REQUESTER")).toEqual({
      slackId: "U0REQUESTER",
      email: "dev@example.com",
      tz: "Europe/Berlin",
    });
    expect(await slackChat.user("U0NOEMAIL")).toEqual({ slackId: "U0NOEMAIL", tz: "America/New_York" });
    await slackChat.user("U0REQUESTER");
    expect(slack.callsTo("users.info")).toHaveLength(2);
  });

  it("asks Slack again once a cached profile is older than its time to live", async () => {
    let now = NOW;
    const slackChat = chat({ now: () => now, userTtlMs: 60_000 });
    await slackChat.user("U0REQUESTER");
    now += 61_000;
    await slackChat.user("U0REQUESTER");
    expect(slack.callsTo("users.info")).toHaveLength(2);
  });

  it("turns an unknown user into a typed refusal", async () => {
    await expect(chat().user("U0NOBODY")).rejects.toMatchObject({
      name: "SlackRejected",
      code: "SLACK_REJECTED",
      slackError: "user_not_found",
    });
  });

  it("sends the requester a direct message with the expiry in their time zone", async () => {
    const grant = aGrant({
      id: "tstaaaa2",
      requester: { slackId: "U0REQUESTER", email: "dev@example.com", userId: "u" },
      status: "active",
      expiresAt: NOW + 4 * HOUR,
    });
    await chat().notifyRequester(grant, "granted", config);
    expect(slack.callsTo("conversations.open")[0]?.args.users).toBe("U0REQUESTER");
    const [dm] = slack.messagesIn("D0REQUESTER");
    expect(dm?.text).toContain("until 17:30 CET (in 4h)");
    expect(buttonsIn(dm?.blocks)).toContain(ACTIONS.revokeNow);
  });

  it("posts lifecycle events to the audit channel", async () => {
    await chat().audit(
      "C0AUDIT",
      aGrant({ id: "tstaaaa2" }),
      anAuditEvent({ type: "approved", actor: "U0ADMIN" }),
    );
    expect(slack.messagesIn("C0AUDIT")[0]?.text).toContain("`tstaaaa2` *approved* by <@U0ADMIN>");
  });

  it("waits as long as Retry-After asks when rate-limited, then succeeds", async () => {
    slack.failNext(1, "ratelimited", 2, ["chat.postMessage"]);
    const ref = await chat().postRequest(aGrant(), "C0PRODADMIN");
    expect(waits).toEqual([2000]);
    expect(slack.callsTo("chat.postMessage").map((call) => call.answer)).toEqual(["ratelimited", "ok"]);
    expect(slack.messagesIn(ref.channel)).toHaveLength(1);
  });

  it("gives up with a typed error when Slack keeps rate-limiting", async () => {
    slack.failNext(10, "ratelimited", 1);
    const attempt = chat({ maxRateLimitWaits: 2 }).postRequest(aGrant(), "C0PRODADMIN");
    await expect(attempt).rejects.toBeInstanceOf(SlackRateLimited);
    expect(waits).toEqual([1000, 1000]);
  });

  it("does not wait when Slack asks for longer than the limit", async () => {
    slack.failNext(1, "ratelimited", 120);
    await expect(
      chat({ maxRetryAfterSeconds: 30 }).postRequest(aGrant(), "C0PRODADMIN"),
    ).rejects.toMatchObject({
      code: "SLACK_RATE_LIMITED",
      retryAfterSeconds: 120,
    });
    expect(waits).toEqual([]);
  });

  it("surfaces an outage as SlackUnavailable instead of crashing", async () => {
    slack.failNext(10, "server-error");
    await expect(chat().postRequest(aGrant(), "C0PRODADMIN")).rejects.toBeInstanceOf(SlackUnavailable);
  });

  it("surfaces an unreachable Slack as SlackUnavailable", async () => {
    await close();
    await expect(chat().audit("C0AUDIT", aGrant(), anAuditEvent())).rejects.toBeInstanceOf(SlackUnavailable);
  });

  it("answers the configured share of calls with outages", async () => {
    const draws = [0.1, 0.9, 0.3, 0.7];
    const flaky = new FakeSlack({ random: () => draws.shift() ?? 1 });
    const started = await flaky.start();
    try {
      flaky.faults({ share: 0.5, kind: "server-error" });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await fetch(`${started.apiUrl}auth.test`, { method: "POST" })).status);
      }
      expect(statuses).toEqual([500, 200, 500, 200]);
      expect(flaky.callsTo("auth.test").map((call) => call.answer)).toEqual([
        "http-500",
        "ok",
        "http-500",
        "ok",
      ]);
    } finally {
      await started.close();
    }
  });

  it("reports a rejected post, such as an unknown message, as SlackRejected", async () => {
    await expect(
      chat().updateRequest({ channel: "C0PRODADMIN", ts: "1.000001" }, aGrant()),
    ).rejects.toBeInstanceOf(SlackRejected);
  });
});
