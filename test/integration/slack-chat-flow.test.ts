import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SlackChat } from "../../src/adapters/slack/chat.js";
import { createSlackClient } from "../../src/adapters/slack/client.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { MemoryLogger } from "../support/fakes.js";
import { aGrant, anAuditEvent, anExtension } from "../support/grant-builder.js";

const TOKEN = "xoxb-test-token";
const NOW = Date.UTC(2026, 10, 27, 12, 30);

describe("SlackChat, for reminders, extensions, refusals and the Home tab", () => {
  let slack: FakeSlack;
  let close: () => Promise<void>;
  let chat: SlackChat;

  beforeEach(async () => {
    slack = new FakeSlack({
      token: TOKEN,
      users: [
        { id: "U0REQUESTER", email: "dev@example.com", tz: "Europe/Berlin" },
        { id: "U0ADMIN", email: "Admin@Example.com" },
      ],
    });
    let apiUrl: string;
    ({ apiUrl, close } = await slack.start());
    chat = new SlackChat(createSlackClient(TOKEN, apiUrl, new MemoryLogger()), new MemoryLogger(), {
      now: () => NOW,
    });
  });
  afterEach(async () => {
    await close();
  });

  it("finds a Slack user by email in any case, says none for an unknown one, and asks Slack once", async () => {
    expect(await chat.userIdByEmail("admin@example.com")).toBe("U0ADMIN");
    expect(await chat.userIdByEmail("ADMIN@example.com")).toBe("U0ADMIN");
    expect(await chat.userIdByEmail("nobody@example.com")).toBeUndefined();
    expect(slack.callsTo("users.lookupByEmail")).toHaveLength(2);
  });

  it("replies in the approval message's thread for the reminder and the extension request", async () => {
    const parent = await chat.postRequest(aGrant({ id: "tstaaaa2" }), "C0PRODADMIN");
    const grant = aGrant({ id: "tstaaaa2", message: parent });
    await chat.postNudge(parent, grant, { slackIds: ["U0ADMIN"], more: false });
    const extension = anExtension({ id: "e5", requestedAt: NOW, required: 2 });
    const active = {
      ...grant,
      status: "active" as const,
      activatedAt: NOW,
      expiresAt: NOW + 3600_000,
      extension,
    };
    const asked = await chat.postExtension(active, parent.channel, parent.ts);
    const replies = slack.messagesIn("C0PRODADMIN").filter((m) => m.threadTs === parent.ts);
    expect(replies.map((m) => m.ts)).toEqual([expect.any(String), asked.ts]);
    expect(replies[0]?.text).toContain("<@U0ADMIN>");
    await chat.updateExtension(asked, {
      ...active,
      extension: { ...extension, status: "denied", decidedBy: "U0ADMIN" },
    });
    expect(JSON.stringify(slack.messagesIn("C0PRODADMIN").find((m) => m.ts === asked.ts)?.blocks)).toContain(
      "denied by <@U0ADMIN>",
    );
  });

  it("publishes the Home tab with views.publish", async () => {
    const home = {
      viewer: "U0REQUESTER",
      mine: [],
      toApprove: [],
      extensionsToApprove: [],
      revocable: [],
      extendBy: {},
    };
    await chat.publishHome("U0REQUESTER", home);
    const published = slack.records.homes.get("U0REQUESTER");
    expect(published?.view).toMatchObject({ type: "home" });
    expect(JSON.stringify(published?.view)).toContain("You have no open grants");
  });

  it("posts a refusal to the audit channel with the count held back", async () => {
    await chat.auditRefusal(
      "C0AUDIT",
      "U0ADMIN",
      anAuditEvent({ type: "refused", reason: "not <b>allowed</b>" }),
      2,
    );
    const [line] = slack.messagesIn("C0AUDIT");
    expect(line?.text).toContain("*refused* for <@U0ADMIN>: not &lt;b&gt;allowed&lt;/b&gt;");
    expect(line?.text).toContain("…and 2 more refusals from <@U0ADMIN> in the last minute");
  });
});
