import { describe, expect, it } from "vitest";
import { blockQuote, escapeText } from "../../../../src/adapters/slack/escape.js";
import { escapeHtml, html } from "../../../../src/sim/workspace/html.js";
import { type Directory, mrkdwn, plainText } from "../../../../src/sim/workspace/mrkdwn.js";

const DIR: Directory = {
  userName: (id) => ({ U0DEV: "dev", U0ADMIN: "admin" })[id],
  channelName: (id) => ({ C0APPROVALS: "approvals" })[id],
  tz: "Europe/London",
  now: () => Date.UTC(2026, 10, 27, 12, 0, 0),
};
const render = (text: string) => mrkdwn(text, DIR).__html;

describe("sandbox workspace mrkdwn", () => {
  it.each<[string, string, string]>([
    ["bold", "*Reason*", "<b>Reason</b>"],
    ["italic", "_soon_", "<i>soon</i>"],
    ["strike", "~old~", "<s>old</s>"],
    ["inline code", "grant `abc123`", "grant <code>abc123</code>"],
    ["an emoji the bot uses", ":key: Access", "🔑 Access"],
    ["an unknown emoji as typed", ":not_an_emoji:", ":not_an_emoji:"],
    ["a line break", "a\nb", "a<br>b"],
    ["a quote", ">reason one\n>reason two", "<blockquote>reason one<br>reason two</blockquote>"],
    ["a known user", "from <@U0DEV>", 'from <span class="mention" data-user="U0DEV">@dev</span>'],
    ["an unknown user by id", "<@U0NEW>", '<span class="mention" data-user="U0NEW">@U0NEW</span>'],
    [
      "a channel",
      "in <#C0APPROVALS>",
      'in <span class="channel-link" data-channel="C0APPROVALS">#approvals</span>',
    ],
    ["a broadcast", "<!here>", '<span class="mention broadcast">@here</span>'],
    [
      "a link with a label",
      "<https://example.com/a?b=1&amp;c=2|the portal>",
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the portal</a>',
    ],
    [
      "a date in the zone",
      "<!date^1764244800^{date_num} {time}|fallback>",
      '<time class="date">2025-11-27 12:00</time>',
    ],
    [
      "a date token it does not know, by its fallback",
      "<!date^1764244800^{odd}|12:00 UTC>",
      '<time class="date">12:00 UTC</time>',
    ],
  ])("renders %s", (_what, text, markup) => {
    expect(render(text)).toBe(markup);
  });

  it.each<[string, string]>([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ["<!channel>", "&lt;!channel&gt;"],
    ["<@U0ADMIN>", "&lt;@U0ADMIN&gt;"],
    ["<javascript:alert(1)|click>", "&lt;javascript:alert(1)|click&gt;"],
    ['" onmouseover="x', "&quot; onmouseover=&quot;x"],
    ["&amp;lt;", "&amp;amp;lt;"],
  ])("shows user text %s literally once the bot has escaped it", (user, markup) => {
    expect(render(escapeText(user))).toBe(markup);
  });

  it("keeps a quoted hostile reason inside its quote, as text", () => {
    expect(render(`*Reason*\n${blockQuote("<!channel>\n>not a quote")}`)).toBe(
      "<b>Reason</b><blockquote>&lt;!channel&gt;<br>&gt;not a quote</blockquote>",
    );
  });

  it("shows control sequences it does not understand as their text", () => {
    expect(render("<ftp://example.com|x> and <!subteam^S1|@oncall>")).toBe(
      '&lt;ftp://example.com|x&gt; and <span class="mention">@oncall</span>',
    );
  });

  it("ignores the placeholder characters it uses itself when they arrive in text", () => {
    expect(render("a\uE0000\uE001b")).toBe("a\uFFFD0\uFFFDb");
  });

  it("renders plain_text as text with Slack's escapes decoded once", () => {
    expect(plainText("A &amp; B <b> :key:").__html).toBe("A &amp; B &lt;b&gt; 🔑");
    expect(plainText(":key:", false).__html).toBe(":key:");
  });

  it("escapes interpolated values in the html template and keeps nested markup", () => {
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${["a", "<"]}${undefined}${false}</p>`.__html).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>a&lt;</p>',
    );
    expect(escapeHtml(`'`)).toBe("&#39;");
  });
});
