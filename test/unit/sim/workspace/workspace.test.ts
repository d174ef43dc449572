import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeSlack } from "../../../../src/sim/slack/fake-slack.js";
import { Workspace, type WorkspaceChange, type WsItem } from "../../../../src/sim/workspace/workspace.js";

const PEOPLE = [
  { slackId: "U0DEV", name: "dev", email: "dev@example.com", groups: ["Engineers"] },
  { slackId: "U0ADMIN", name: "admin", email: "admin@example.com", groups: ["Organization Administrators"] },
];
const CHANNELS = [{ id: "C0APPROVALS", name: "approvals" }];
const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
const modal = (title: string, blocks: unknown[] = []) => ({
  type: "modal",
  title: { type: "plain_text", text: title },
  blocks,
});

let fake: FakeSlack;
let close: () => Promise<void>;
let ws: Workspace;
let changes: WorkspaceChange[];

beforeAll(async () => {
  fake = new FakeSlack({ users: PEOPLE.map((p) => ({ id: p.slackId, email: p.email, name: p.name })) });
  ({ close } = await fake.start());
});
afterAll(async () => {
  await close();
});
beforeEach(() => {
  ws = new Workspace(fake, PEOPLE, CHANNELS, { tz: "Europe/London", now: Date.now });
  const seen: WorkspaceChange[] = [];
  changes = seen;
  ws.onChange((change) => seen.push(change));
});

const call = (method: string, args: Record<string, unknown>) => fake.records.answer(method, args, "").body;
const texts = (items: WsItem[]) => items.map((item) => item.html);
/** Posts to a response_url as the bot's respond() does. */
async function respond(url: string, body: object): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

describe("the sandbox workspace model", () => {
  it("shows channel messages to everyone and a direct message only to its person", () => {
    call("chat.postMessage", { channel: "C0APPROVALS", text: "for everyone" });
    call("chat.postMessage", { channel: "U0DEV", text: "for dev" });
    expect(texts(ws.itemsFor("U0DEV")).join()).toContain("for dev");
    expect(texts(ws.itemsFor("U0ADMIN")).join()).not.toContain("for dev");
    expect(texts(ws.itemsFor("U0ADMIN")).join()).toContain("for everyone");
  });

  it("changes a message in place on chat.update and nests a threaded reply under it", () => {
    const posted = call("chat.postMessage", { channel: "C0APPROVALS", text: "pending" });
    call("chat.update", { channel: "C0APPROVALS", ts: posted.ts, text: "approved" });
    call("chat.postMessage", { channel: "C0APPROVALS", text: "a nudge", thread_ts: posted.ts });
    const [message, reply] = ws.itemsFor("U0DEV");
    expect(message?.html).toContain("approved");
    expect(message?.edited).toBe(true);
    expect(reply?.threadTs).toBe(posted.ts);
    expect(changes.filter((c) => c.kind === "item" && c.item.key === message?.key)).toHaveLength(2);
  });

  it("keeps ephemeral messages to the person they are for", () => {
    call("chat.postEphemeral", { channel: "C0APPROVALS", user: "U0ADMIN", text: "only admin" });
    expect(texts(ws.itemsFor("U0ADMIN")).join()).toContain("only admin");
    expect(texts(ws.itemsFor("U0DEV")).join()).not.toContain("only admin");
  });

  it("shows a response_url reply to whoever acted, or to the channel when it is in_channel", async () => {
    await respond(ws.responseUrl({ user: "U0DEV", channel: "C0APPROVALS" }), { text: "just you" });
    await respond(ws.responseUrl({ user: "U0DEV", channel: "C0APPROVALS" }), {
      response_type: "in_channel",
      text: "everyone",
    });
    expect(texts(ws.itemsFor("U0DEV")).join()).toContain("just you");
    expect(texts(ws.itemsFor("U0ADMIN")).join()).not.toContain("just you");
    expect(texts(ws.itemsFor("U0ADMIN")).join()).toContain("everyone");
  });

  it("replaces or deletes the message a response_url came from when asked to", async () => {
    const first = call("chat.postMessage", { channel: "C0APPROVALS", text: "first" });
    const second = call("chat.postMessage", { channel: "C0APPROVALS", text: "second" });
    const key = (ts: unknown) => `m:C0APPROVALS:${String(ts)}`;
    await respond(ws.responseUrl({ user: "U0DEV", channel: "C0APPROVALS", sourceKey: key(first.ts) }), {
      replace_original: true,
      text: "replaced",
    });
    await respond(ws.responseUrl({ user: "U0DEV", channel: "C0APPROVALS", sourceKey: key(second.ts) }), {
      delete_original: true,
    });
    expect(ws.item(key(first.ts))?.html).toContain("replaced");
    expect(ws.item(key(second.ts))).toBeUndefined();
    expect(fake.messagesIn("C0APPROVALS").map((m) => m.text)).not.toContain("second");
  });

  it("opens a modal for whoever's trigger opened it, stacks a pushed one and goes back", () => {
    const trigger = ws.trigger("U0DEV");
    const opened = call("views.open", { trigger_id: trigger, view: modal("First") });
    const pushed = call("views.push", { trigger_id: ws.trigger("U0DEV"), view: modal("Second") });
    expect(ws.modalFor("U0ADMIN")).toBeUndefined();
    expect(ws.stack("U0DEV")).toEqual([
      (opened.view as { id: string }).id,
      (pushed.view as { id: string }).id,
    ]);
    expect(ws.modalFor("U0DEV")?.html.__html).toContain("Second");
    expect(ws.modalFor("U0DEV")?.html.__html).toContain('data-modal="back"');
    ws.closeModal("U0DEV", "back");
    expect(ws.modalFor("U0DEV")?.html.__html).toContain("First");
    ws.closeModal("U0DEV", "clear");
    expect(ws.modalFor("U0DEV")).toBeUndefined();
  });

  it("applies a submission's answer: errors on fields, then update, then clear", () => {
    const input = {
      type: "input",
      block_id: "why",
      label: { type: "plain_text", text: "Why" },
      element: { type: "plain_text_input", action_id: "v" },
    };
    const opened = call("views.open", { trigger_id: ws.trigger("U0DEV"), view: modal("Ask", [input]) });
    const id = (opened.view as { id: string }).id;
    ws.applySubmissionAnswer("U0DEV", id, { response_action: "errors", errors: { why: "Say why." } }, 0);
    expect(ws.modalFor("U0DEV")?.html.__html).toContain("Say why.");
    ws.applySubmissionAnswer("U0DEV", id, { response_action: "update", view: modal("Sending…") }, 0);
    expect(ws.modalFor("U0DEV")?.html.__html).toContain("Sending…");
    ws.applySubmissionAnswer("U0DEV", id, { response_action: "clear" }, 1);
    expect(ws.modalFor("U0DEV")).toBeUndefined();
  });

  it("keeps a views.update that arrived before the submission's own update answer", () => {
    const opened = call("views.open", { trigger_id: ws.trigger("U0DEV"), view: modal("Deny") });
    const id = (opened.view as { id: string }).id;
    call("views.update", { view_id: id, view: modal("Denied") });
    ws.applySubmissionAnswer("U0DEV", id, { response_action: "update", view: modal("Denying…") }, 0);
    expect(ws.modalFor("U0DEV")?.html.__html).toContain("Denied");
  });

  it("closes the submitted view on an empty answer", () => {
    const opened = call("views.open", { trigger_id: ws.trigger("U0DEV"), view: modal("Done") });
    ws.applySubmissionAnswer("U0DEV", (opened.view as { id: string }).id, {}, 0);
    expect(ws.modalFor("U0DEV")).toBeUndefined();
  });

  it("shows a person the Home tab the bot published for them, and nothing before", () => {
    expect(ws.homeFor("U0DEV")).toBeUndefined();
    call("views.publish", { user_id: "U0DEV", view: { type: "home", blocks: [section("*Hello*")] } });
    expect(ws.homeFor("U0DEV")?.__html).toContain("<b>Hello</b>");
    expect(ws.homeFor("U0ADMIN")).toBeUndefined();
    expect(changes).toContainEqual({ kind: "home", user: "U0DEV" });
  });

  it("lists a channel it had not heard of once the bot posts there", () => {
    call("chat.postMessage", { channel: "C0NEWONE", text: "hello" });
    expect(ws.conversationsFor("U0DEV").map((c) => c.name)).toEqual(["approvals", "newone", "aws-access"]);
  });
});
