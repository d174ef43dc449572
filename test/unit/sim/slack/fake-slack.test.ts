import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack, type FakeSlackEvent } from "../../../../src/sim/slack/fake-slack.js";

const TOKEN = "xoxb-fake";
const view = (title: string) => ({ type: "modal", title: { type: "plain_text", text: title }, blocks: [] });

let fake: FakeSlack;
let apiUrl: string;
let close: () => Promise<void>;
const events: FakeSlackEvent[] = [];

beforeAll(async () => {
  fake = new FakeSlack({ users: [{ id: "U0DEV", email: "Dev@Example.com", name: "dev" }], token: TOKEN });
  fake.subscribe((event) => events.push(event));
  ({ apiUrl, close } = await fake.start());
});
afterAll(async () => {
  await close();
});

/** A Web API call as the Slack client sends it: JSON body, bearer token. */
async function api(method: string, args: object): Promise<Record<string, unknown>> {
  const res = await fetch(`${apiUrl}${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(args),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe("the fake Slack Web API for the sandbox workspace", () => {
  it("keeps threaded replies and ephemeral messages apart from channel messages", async () => {
    const parent = await api("chat.postMessage", { channel: "C0APPROVALS", text: "request" });
    await api("chat.postMessage", { channel: "C0APPROVALS", text: "nudge", thread_ts: parent.ts });
    expect(
      await api("chat.postEphemeral", { channel: "C0APPROVALS", user: "U0DEV", text: "psst" }),
    ).toMatchObject({
      ok: true,
    });
    expect(fake.messagesIn("C0APPROVALS").map((m) => [m.text, m.threadTs])).toEqual([
      ["request", undefined],
      ["nudge", parent.ts],
    ]);
    expect(fake.records.ephemerals).toMatchObject([{ channel: "C0APPROVALS", user: "U0DEV", text: "psst" }]);
  });

  it("stacks a pushed view on the one opened with the same trigger and refuses an update with a stale hash", async () => {
    const opened = (await api("views.open", { trigger_id: "t1", view: view("One") })).view as Record<
      string,
      string
    >;
    const pushed = (await api("views.push", { trigger_id: "t1", view: view("Two") })).view as Record<
      string,
      string
    >;
    expect(fake.views.get(pushed.id ?? "")?.previousId).toBe(opened.id);
    const fresh = await api("views.update", {
      view_id: opened.id,
      hash: opened.hash,
      view: view("One again"),
    });
    expect(fresh.ok).toBe(true);
    expect(
      await api("views.update", { view_id: opened.id, hash: opened.hash, view: view("Late") }),
    ).toMatchObject({
      ok: false,
      error: "hash_conflict",
    });
  });

  it("publishes a Home tab per user and finds users by email", async () => {
    expect(
      await api("views.publish", { user_id: "U0DEV", view: { type: "home", blocks: [] } }),
    ).toMatchObject({ ok: true });
    expect(
      await api("views.publish", { user_id: "U0NOBODY", view: { type: "home", blocks: [] } }),
    ).toMatchObject({
      ok: false,
      error: "user_not_found",
    });
    expect(fake.records.homes.get("U0DEV")?.view.type).toBe("home");
    expect(await api("users.lookupByEmail", { email: "dev@example.com" })).toMatchObject({
      user: { id: "U0DEV" },
    });
  });

  it("tells subscribers about every change and every call", () => {
    const kinds = events.map((e) => (e.type === "call" ? `call:${e.call.method}` : e.type));
    expect(kinds).toContain("message");
    expect(kinds).toContain("ephemeral");
    expect(kinds).toContain("view");
    expect(kinds).toContain("home");
    expect(kinds).toContain("call:chat.postMessage");
  });
});
