import type { FetchFunction } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { TriggeredCalls } from "../../../../src/entrypoints/lambda/triggered-calls.js";

const API = "https://slack.example/api/";

/** A Web API call as the Slack client makes it: a form-encoded POST. */
function call(method: string, args: Record<string, string>): [string, Parameters<FetchFunction>[1]] {
  return [`${API}${method}`, { method: "POST", body: new URLSearchParams(args).toString() }];
}

/** Stands in for Slack: answers each call with a new view id, counting the calls. */
function slack() {
  const seen: string[] = [];
  const fetch: FetchFunction = async (url) => {
    seen.push(String(url).slice(API.length));
    return new Response(JSON.stringify({ ok: true, view: { id: `V${seen.length}` } }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
  return { seen, fetch };
}

async function viewId(response: Awaited<ReturnType<FetchFunction>>): Promise<string> {
  return ((await response.json()) as { view: { id: string } }).view.id;
}

describe("TriggeredCalls", () => {
  it("records the answers to views opened with a trigger and gives them back in order", async () => {
    const upstream = slack();
    const calls = new TriggeredCalls("record");
    const recorder = calls.fetch(upstream.fetch);
    await recorder(...call("views.open", { trigger_id: "t1", view: "{}" }));
    await recorder(...call("views.push", { trigger_id: "t1", view: "{}" }));
    expect(upstream.seen).toEqual(["views.open", "views.push"]);

    const replayed = new TriggeredCalls("replay");
    replayed.give("t1", calls.take("t1"));
    const worker = slack();
    const replay = replayed.fetch(worker.fetch);
    expect(await viewId(await replay(...call("views.open", { trigger_id: "t1", view: "{}" })))).toBe("V1");
    expect(await viewId(await replay(...call("views.push", { trigger_id: "t1", view: "{}" })))).toBe("V2");
    expect(worker.seen).toEqual([]);
    expect(calls.take("t1")).toEqual([]);
  });

  it("calls Slack for a trigger it holds no answer for, and for calls without a trigger", async () => {
    const worker = slack();
    const replayed = new TriggeredCalls("replay");
    const fetch = replayed.fetch(worker.fetch);
    await fetch(...call("views.open", { trigger_id: "unknown", view: "{}" }));
    await fetch(...call("views.update", { view_id: "V1", view: "{}" }));
    await fetch(...call("chat.postMessage", { channel: "C1", text: "hi" }));
    expect(worker.seen).toEqual(["views.open", "views.update", "chat.postMessage"]);
  });

  it("replays a call that failed in the Slack function as the same failure", async () => {
    const calls = new TriggeredCalls("record");
    const failing: FetchFunction = async () => {
      throw new Error("socket hang up");
    };
    await expect(calls.fetch(failing)(...call("views.open", { trigger_id: "t3" }))).rejects.toThrow(
      "socket hang up",
    );
    const replayed = new TriggeredCalls("replay");
    replayed.give("t3", calls.take("t3"));
    const worker = slack();
    await expect(replayed.fetch(worker.fetch)(...call("views.open", { trigger_id: "t3" }))).rejects.toThrow(
      "socket hang up",
    );
    expect(worker.seen).toEqual([]);
  });
});
