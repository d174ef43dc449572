import { describe, expect, it } from "vitest";
import { findElement, renderBlocks, renderModal } from "../../../../src/sim/workspace/blocks.js";
import type { Directory } from "../../../../src/sim/workspace/mrkdwn.js";
import { stateValues, suggestionOptions } from "../../../../src/sim/workspace/values.js";

const DIR: Directory = { userName: () => undefined, channelName: () => undefined, tz: "UTC", now: Date.now };
const plain = (text: string) => ({ type: "plain_text", text });
const option = (text: string, value: string) => ({ text: plain(text), value });
const render = (blocks: unknown[], errors = {}) => renderBlocks(blocks, DIR, errors).__html;

const FORM = [
  {
    type: "input",
    block_id: "account",
    label: plain("Account"),
    element: {
      type: "static_select",
      action_id: "pick",
      options: [option("prod (Production)", "prod"), option("staging", "staging")],
      initial_option: option("staging", "staging"),
    },
  },
  {
    type: "input",
    block_id: "sets",
    label: plain("Permission sets"),
    element: {
      type: "multi_static_select",
      action_id: "many",
      options: [option("ReadOnly", "ro"), option("Admin", "admin")],
    },
  },
  {
    type: "input",
    block_id: "search",
    optional: true,
    label: plain("Search"),
    element: { type: "external_select", action_id: "find", min_query_length: 1 },
  },
  { type: "input", block_id: "day", label: plain("Day"), element: { type: "datepicker", action_id: "d" } },
  {
    type: "input",
    block_id: "why",
    label: plain("Why"),
    element: { type: "plain_text_input", action_id: "v", multiline: true },
  },
];

describe("sandbox workspace Block Kit", () => {
  it("renders header, fields, context and divider blocks", () => {
    const markup = render([
      { type: "header", text: plain("Access <request>") },
      { type: "section", fields: [{ type: "mrkdwn", text: "*Account*\nprod" }] },
      { type: "context", elements: [{ type: "mrkdwn", text: "by _bot_" }] },
      { type: "divider" },
    ]);
    expect(markup).toContain('<h3 class="bk-header" data-block-id="b0">Access &lt;request&gt;</h3>');
    expect(markup).toContain('<div class="bk-field"><b>Account</b><br>prod</div>');
    expect(markup).toContain('<span class="bk-context-item">by <i>bot</i></span>');
    expect(markup).toContain('<hr class="bk-divider">');
  });

  it("renders buttons with their ids, style, value and confirm dialog", () => {
    const markup = render([
      {
        type: "actions",
        block_id: "act",
        elements: [
          {
            type: "button",
            action_id: "approve",
            value: 'g1"x',
            style: "primary",
            text: plain("Approve"),
            confirm: {
              title: plain("Sure?"),
              text: plain("It grants access."),
              confirm: plain("Yes"),
              deny: plain("No"),
            },
          },
          { type: "button", text: plain("Portal"), url: "javascript:alert(1)" },
        ],
      },
    ]);
    expect(markup).toContain(
      'class="bk-button primary" data-el="button" data-block-id="act" data-action-id="approve" data-value="g1&quot;x"',
    );
    expect(markup).toContain('<template class="bk-confirm"><div class="confirm-title">Sure?</div>');
    expect(markup).toContain('data-action-id="a1"');
    expect(markup).not.toContain("javascript:");
  });

  it("renders a form's fields: selects with the initial option, typeahead, date, text, and the bot's errors", () => {
    const markup = render(FORM, { why: "Say <why>." });
    expect(markup).toContain('<option value="staging" selected>staging</option>');
    expect(markup).toContain('<select class="bk-select" multiple size="2"');
    expect(markup).toContain(
      '<div class="bk-typeahead" data-el="external_select" data-block-id="search" data-action-id="find" data-min-query="1">',
    );
    expect(markup).toContain('data-optional="true"');
    expect(markup).toContain('<input type="date"');
    expect(markup).toContain("<textarea");
    expect(markup).toContain('<div class="bk-input has-error" data-block-id="why">');
    expect(markup).toContain('<div class="bk-error" role="alert">Say &lt;why&gt;.</div>');
  });

  it("renders a modal with its title, close and submit buttons, and back only when pushed", () => {
    const view = {
      type: "modal",
      title: plain("Request"),
      submit: plain("Send"),
      close: plain("Cancel"),
      blocks: [],
    };
    const first = renderModal(view, { viewId: "V1", errors: {}, canGoBack: false }, DIR).__html;
    expect(first).toContain('data-view-id="V1"');
    expect(first).toContain('<button type="submit" class="bk-button primary">Send</button>');
    expect(first).not.toContain('data-modal="back"');
    expect(renderModal(view, { viewId: "V2", errors: {}, canGoBack: true }, DIR).__html).toContain(
      'data-modal="back"',
    );
  });

  it("names unsupported blocks and elements instead of dropping them silently", () => {
    expect(render([{ type: "rich_text" }])).toContain("[rich_text block]");
    expect(render([{ type: "actions", elements: [{ type: "users_select" }] }])).toContain("[users_select]");
  });

  it("reports a form's values as Slack types them in view state", () => {
    const state = stateValues(FORM, [
      { blockId: "account", actionId: "pick", type: "static_select", value: "prod" },
      { blockId: "sets", actionId: "many", type: "multi_static_select", values: ["admin"] },
      {
        blockId: "search",
        actionId: "find",
        type: "external_select",
        picked: [{ value: "x1", label: "Thing <1>" }],
      },
      { blockId: "day", actionId: "d", type: "datepicker", value: "2026-12-01" },
      { blockId: "why", actionId: "v", type: "plain_text_input", value: "" },
    ]);
    expect(state).toEqual({
      account: { pick: { type: "static_select", selected_option: option("prod (Production)", "prod") } },
      sets: { many: { type: "multi_static_select", selected_options: [option("Admin", "admin")] } },
      search: {
        find: {
          type: "external_select",
          selected_option: { text: { type: "plain_text", text: "Thing <1>", emoji: true }, value: "x1" },
        },
      },
      day: { d: { type: "datepicker", selected_date: "2026-12-01" } },
      why: { v: { type: "plain_text_input", value: null } },
    });
  });

  it("finds an element by block and action id, accessories and stand-in ids included", () => {
    const blocks = [{ type: "section", text: plain("x"), accessory: { type: "button", text: plain("Go") } }];
    expect(findElement(blocks, "b0", "a0")?.element.type).toBe("button");
    expect(findElement(FORM, "sets", "many")?.element.type).toBe("multi_static_select");
    expect(findElement(FORM, "sets", "other")).toBeUndefined();
  });

  it("reads suggestion options and option groups with plain labels", () => {
    expect(
      suggestionOptions({
        options: [option("A &amp; B", "ab")],
        option_groups: [{ label: plain("More"), options: [option("C", "c")] }],
      }),
    ).toEqual([
      { value: "ab", label: "A & B" },
      { value: "c", label: "C" },
    ]);
    expect(suggestionOptions("not json")).toEqual([]);
  });
});
