import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeSlack } from "../../../../src/sim/slack/fake-slack.js";
import { readBody } from "../../../../src/sim/slack/http.js";
import { Interactions } from "../../../../src/sim/workspace/interactions.js";
import { Workspace } from "../../../../src/sim/workspace/workspace.js";

const SECRET = "sandbox-test-secret";
const PEOPLE = [{ slackId: "U0DEV", name: "dev", email: "dev@example.com", groups: [] }];
const plain = (text: string) => ({ type: "plain_text", text });

interface Received {
  contentType: string;
  signed: boolean;
  body: Record<string, unknown>;
}

let fake: FakeSlack;
let closeFake: () => Promise<void>;
let bot: Server;
let received: Received[];
/** What the stub bot answers the next request with. */
let answer: unknown = "";

beforeAll(async () => {
  fake = new FakeSlack({ users: [{ id: "U0DEV", email: "dev@example.com" }] });
  ({ close: closeFake } = await fake.start());
  bot = createServer(async (req, res) => {
    const raw = await readBody(req);
    const ts = String(req.headers["x-slack-request-timestamp"]);
    const expected = `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${raw}`).digest("hex")}`;
    const contentType = String(req.headers["content-type"]);
    const form = new URLSearchParams(raw);
    const body = contentType.includes("json")
      ? JSON.parse(raw)
      : form.has("payload")
        ? JSON.parse(form.get("payload") ?? "{}")
        : Object.fromEntries(form);
    received.push({ contentType, signed: req.headers["x-slack-signature"] === expected, body });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(typeof answer === "string" ? answer : JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => bot.listen(0, "127.0.0.1", () => resolve()));
});
afterAll(async () => {
  await closeFake();
  bot.closeAllConnections();
  await new Promise<void>((resolve) => bot.close(() => resolve()));
});

let ws: Workspace;
let interactions: Interactions;
beforeEach(() => {
  received = [];
  answer = "";
  ws = new Workspace(fake, PEOPLE, [{ id: "C0GENERAL", name: "general" }], { tz: "UTC", now: Date.now });
  const eventsUrl = `http://127.0.0.1:${(bot.address() as AddressInfo).port}/slack/events`;
  interactions = new Interactions(ws, fake, { eventsUrl, signingSecret: SECRET });
});

function openModal(blocks: unknown[]): string {
  const body = fake.records.answer(
    "views.open",
    {
      trigger_id: ws.trigger("U0DEV"),
      view: { type: "modal", callback_id: "ask", title: plain("Ask"), blocks },
    },
    "",
  ).body;
  return (body.view as { id: string }).id;
}

describe("the sandbox workspace's requests to the bot", () => {
  it("sends a typed command as a signed slash command with a response_url and a trigger", async () => {
    await interactions.command("U0DEV", "C0GENERAL", "prod ReadOnly 1h why");
    const [request] = received;
    expect(request?.signed).toBe(true);
    expect(request?.body).toMatchObject({
      command: "/aws-access",
      text: "prod ReadOnly 1h why",
      user_id: "U0DEV",
      channel_id: "C0GENERAL",
      team_id: "T0SANDBOX",
    });
    expect(String(request?.body.response_url)).toMatch(/\/respond\/w\d+$/);
    expect(ws.itemsFor("U0DEV")[0]?.html).toContain("/aws-access prod ReadOnly 1h why");
  });

  it("sends a click on a message as block_actions with the message, its channel and a response_url", async () => {
    const posted = fake.records.answer(
      "chat.postMessage",
      {
        channel: "C0GENERAL",
        text: "request",
        blocks: [
          {
            type: "actions",
            block_id: "act",
            elements: [{ type: "button", action_id: "go", value: "g1", text: plain("Go") }],
          },
        ],
      },
      "",
    ).body;
    const key = `m:C0GENERAL:${String(posted.ts)}`;
    await interactions.action("U0DEV", {
      source: { type: "message", key },
      blockId: "act",
      actionId: "go",
      type: "button",
      value: "g1",
    });
    const body = received[0]?.body ?? {};
    expect(body).toMatchObject({
      type: "block_actions",
      user: { id: "U0DEV", team_id: "T0SANDBOX" },
      container: { type: "message", message_ts: posted.ts, channel_id: "C0GENERAL", is_ephemeral: false },
      actions: [{ type: "button", action_id: "go", block_id: "act", value: "g1", text: plain("Go") }],
    });
    expect((body.message as { blocks: unknown[] }).blocks).toHaveLength(1);
  });

  it("submits a modal with typed state and applies the errors the bot answers with", async () => {
    const viewId = openModal([
      {
        type: "input",
        block_id: "why",
        label: plain("Why"),
        element: { type: "plain_text_input", action_id: "v" },
      },
    ]);
    answer = { response_action: "errors", errors: { why: "Say more." } };
    await interactions.submit("U0DEV", viewId, [
      { blockId: "why", actionId: "v", type: "plain_text_input", value: "x" },
    ]);
    expect(received[0]?.body).toMatchObject({
      type: "view_submission",
      view: {
        id: viewId,
        callback_id: "ask",
        state: { values: { why: { v: { type: "plain_text_input", value: "x" } } } },
      },
    });
    expect(ws.modalFor("U0DEV")?.html.__html).toContain("Say more.");
  });

  it("asks the bot for an external select's options with a signed block_suggestion", async () => {
    const viewId = openModal([
      {
        type: "input",
        block_id: "acc",
        label: plain("Account"),
        element: { type: "external_select", action_id: "find" },
      },
    ]);
    answer = { options: [{ text: plain("prod"), value: "prod" }] };
    const options = await interactions.suggest(
      "U0DEV",
      { type: "view", viewId },
      { blockId: "acc", actionId: "find" },
      "pro",
    );
    expect(options).toEqual([{ value: "prod", label: "prod" }]);
    expect(received[0]).toMatchObject({
      signed: true,
      body: {
        type: "block_suggestion",
        action_id: "find",
        block_id: "acc",
        value: "pro",
        container: { view_id: viewId },
      },
    });
  });

  it("tells the bot a Home tab was opened with a signed app_home_opened event", async () => {
    await interactions.homeOpened("U0DEV", "home");
    expect(received[0]).toMatchObject({
      contentType: "application/json",
      signed: true,
      body: {
        type: "event_callback",
        event: { type: "app_home_opened", user: "U0DEV", channel: "D0DEV", tab: "home" },
      },
    });
  });

  it("tells the bot a closed view when it asked to hear of it", async () => {
    const body = fake.records.answer(
      "views.open",
      {
        trigger_id: ws.trigger("U0DEV"),
        view: { type: "modal", notify_on_close: true, title: plain("T"), blocks: [] },
      },
      "",
    ).body;
    await interactions.close("U0DEV", (body.view as { id: string }).id, "clear");
    expect(received[0]?.body).toMatchObject({ type: "view_closed", is_cleared: true });
    expect(ws.modalFor("U0DEV")).toBeUndefined();
  });
});
