import { describe, expect, it } from "vitest";
import { blockQuote, escapeText } from "../../../../src/adapters/slack/escape.js";
import {
  destination,
  framed,
  type Names,
  renderBlock,
  renderCall,
  renderMessage,
  renderMrkdwn,
  renderResponse,
  renderViewAck,
} from "../../../../src/sim/sandbox/render.js";

const NAMES: Names = new Map([
  ["U0DEV", "dev"],
  ["U0ADMIN", "admin"],
]);
const mrkdwn = (text: string) => ({ type: "mrkdwn", text });
const plain = (text: string) => ({ type: "plain_text", text });
const button = (text: string) => ({ type: "button", action_id: "a", text: plain(text) });
const section = (text: string) => ({ type: "section", text: mrkdwn(text) });

describe("sandbox rendering", () => {
  it.each<[string, string]>([
    ["C0APPROVALS", "#C0APPROVALS"],
    ["G0PRIVATE", "#G0PRIVATE"],
    ["D0DEV", "DM @dev"],
    ["U0ADMIN", "DM @admin"],
    ["W0GUEST", "DM @W0GUEST"],
  ])("shows a message sent to %s as going to %s", (channel, shown) => {
    expect(destination(channel, NAMES)).toBe(shown);
  });

  it.each<[string, string, string]>([
    ["a mention by name", "from <@U0DEV>", "from @dev"],
    ["an unknown mention by id", "<@U0NEW>", "@U0NEW"],
    ["a channel by its label", "<#C0APPROVALS|approvals>", "#approvals"],
    ["a channel without a label by id", "<#C0APPROVALS>", "#C0APPROVALS"],
    ["a date by its fallback", "until <!date^1700000000^{time}|10:13 UTC>", "until 10:13 UTC"],
    ["a special mention", "<!here> look", "@here look"],
    [
      "a labelled link with its URL",
      "<https://acme.awsapps.com/start|portal>",
      "portal (https://acme.awsapps.com/start)",
    ],
    ["a bare link", "<https://example.com>", "https://example.com"],
    ["known emoji as characters", ":key: :white_check_mark: granted", "🔑 ✅ granted"],
    ["an unknown emoji as written", ":party_parrot:", ":party_parrot:"],
    ["bold without its stars", "*Account* is (*prod*)", "Account is (prod)"],
    ["stars inside a word as written", "a*b*c", "a*b*c"],
    ["a quote with a space after the marker", ">fixing prod", "> fixing prod"],
    ["escaped text unescaped once", "a &lt;b&gt; &amp;amp; c", "a <b> &amp; c"],
    ["escaped mentions as literal text", escapeText("<!channel> <@U0DEV>"), "<!channel> <@U0DEV>"],
    [
      "a quoted reason readably",
      blockQuote("ship <now> & <@U0DEV>\nplease"),
      "> ship <now> & <@U0DEV>\n> please",
    ],
  ])("renders %s", (_case, text, shown) => {
    expect(renderMrkdwn(text, NAMES)).toBe(shown);
  });

  it.each<[string, unknown, string[]]>([
    [
      "a section's text line by line",
      section("*Request* by <@U0DEV>\n>INC-1"),
      ["Request by @dev", "> INC-1"],
    ],
    [
      "a section's fields as label: value",
      {
        type: "section",
        fields: [
          mrkdwn("*Account*\nProduction (prod, 222222222222)"),
          mrkdwn("*Duration*\n1h"),
          mrkdwn("just text"),
        ],
      },
      ["Account: Production (prod, 222222222222)", "Duration: 1h", "just text"],
    ],
    [
      "a section's button accessory",
      { ...section("Open grant"), accessory: button("Revoke now") },
      ["Open grant", "[Revoke now]"],
    ],
    [
      "another accessory by its placeholder, else its type",
      { type: "section", fields: [], accessory: { type: "static_select", placeholder: plain("Pick one") } },
      ["[Pick one]"],
    ],
    [
      "a context's elements on one line",
      { type: "context", elements: [mrkdwn(":key: prod"), plain("rule `x`")] },
      ["🔑 prod  rule `x`"],
    ],
    [
      "an actions block's buttons",
      { type: "actions", elements: [button("Approve"), button("Deny"), { type: "datepicker" }] },
      ["[Approve] [Deny] [datepicker]"],
    ],
    ["a header", { type: "header", text: plain("Access request") }, ["Access request"]],
    [
      "an input with its element",
      {
        type: "input",
        label: plain("Reason"),
        element: { type: "plain_text_input", placeholder: plain("Why?") },
      },
      ["Reason: [Why?]"],
    ],
    ["a divider", { type: "divider" }, ["----"]],
    ["an unknown block as nothing", { type: "video" }, []],
    ["a non-object as nothing", "section", []],
  ])("flattens %s", (_case, block, lines) => {
    expect(renderBlock(block, NAMES)).toEqual(lines);
  });

  it.each<[string, { text?: unknown; blocks?: unknown }, string[]]>([
    [
      "its blocks in order",
      { text: "fallback", blocks: [section("one"), { type: "divider" }] },
      ["one", "----"],
    ],
    ["its fallback text without blocks", { text: "line one\n<@U0ADMIN>" }, ["line one", "@admin"]],
    ["its fallback text when blocks are empty", { text: "only text", blocks: [] }, ["only text"]],
    ["an empty line when it has nothing", {}, [""]],
  ])("renders a message by %s", (_case, message, lines) => {
    expect(renderMessage(message, NAMES)).toEqual(lines);
  });

  it("indents a body under its heading and keeps blank lines blank", () => {
    expect(framed("#C0APPROVALS", ["one", "", "two"])).toEqual(["#C0APPROVALS", "  one", "", "  two"]);
  });

  const modal = {
    type: "modal",
    title: plain("Deny request"),
    submit: plain("Deny"),
    blocks: [section("Why?")],
  };

  it.each<[string, string, Record<string, unknown>, string, string[] | undefined]>([
    ["a post", "chat.postMessage", { channel: "C0APPROVALS", text: "hi" }, "ok", ["#C0APPROVALS", "  hi"]],
    [
      "a failed post",
      "chat.postMessage",
      { channel: "C0GONE", text: "hi" },
      "channel_not_found",
      ["#C0GONE (Slack answered channel_not_found)", "  hi"],
    ],
    ["a DM", "chat.postMessage", { channel: "D0DEV", text: "granted" }, "ok", ["DM @dev", "  granted"]],
    [
      "an update",
      "chat.update",
      { channel: "C0APPROVALS", blocks: [section("Approved")] },
      "ok",
      ["#C0APPROVALS (message updated)", "  Approved"],
    ],
    [
      "an ephemeral message",
      "chat.postEphemeral",
      { user: "U0DEV", text: "no" },
      "ok",
      ["(only you) @dev", "  no"],
    ],
    [
      "an opened modal",
      "views.open",
      { view: modal },
      "ok",
      ["(modal opened) Deny request", "  Why?", "  [Deny]"],
    ],
    [
      "an updated modal",
      "views.update",
      { view: modal },
      "ratelimited",
      ["(modal updated (Slack answered ratelimited)) Deny request", "  Why?", "  [Deny]"],
    ],
    ["a look-up as nothing", "users.info", { user: "U0DEV" }, "ok", undefined],
    [
      "a failed look-up",
      "users.info",
      { user: "U0DEV" },
      "http-500",
      ["(Slack users.info answered http-500)"],
    ],
  ])("renders %s with where it went", (_case, method, args, answer, lines) => {
    expect(renderCall({ method, args, answer }, NAMES)).toEqual(lines);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["ephemeral by default", { text: "done" }, "(only you) @dev"],
    ["in channel when asked", { text: "done", response_type: "in_channel" }, "(in channel) @dev"],
  ])("shows a response_url reply as %s", (_case, body, heading) => {
    expect(renderResponse(body, "U0DEV", NAMES)).toEqual([heading, "  done"]);
  });

  it.each<[string, string, string[]]>([
    ["an empty ack as nothing", " ", []],
    ["text that is not JSON as is", "oops", ["oops"]],
    ["a JSON list as nothing", "[1]", []],
    [
      "field errors",
      JSON.stringify({ response_action: "errors", errors: { reason: "Say why" } }),
      ["(modal errors)", "  reason: Say why"],
    ],
    [
      "an update as the new modal",
      JSON.stringify({ response_action: "update", view: modal }),
      ["(modal updated) Deny request", "  Why?", "  [Deny]"],
    ],
    [
      "a push as the new modal",
      JSON.stringify({ response_action: "push", view: modal }),
      ["(modal updated) Deny request", "  Why?", "  [Deny]"],
    ],
    ["a clear as nothing", JSON.stringify({ response_action: "clear" }), []],
  ])("renders a view submission's answer: %s", (_case, text, lines) => {
    expect(renderViewAck(text, NAMES)).toEqual(lines);
  });
});
