import { describe, expect, it } from "vitest";
import { blockQuote, code, escapeText } from "../../../../src/adapters/slack/escape.js";
import { approvalMessage } from "../../../../src/adapters/slack/views/approval.js";
import { auditLine } from "../../../../src/adapters/slack/views/audit.js";
import { errorText } from "../../../../src/adapters/slack/views/error-text.js";
import { denyReasonModal, requestModal, resultModal } from "../../../../src/adapters/slack/views/modals.js";
import { requesterNotice } from "../../../../src/adapters/slack/views/notices.js";
import { commandReply, helpReply, listReply } from "../../../../src/adapters/slack/views/replies.js";
import { requestMessage } from "../../../../src/adapters/slack/views/request-message.js";
import { RequestRefused } from "../../../../src/domain/errors.js";
import type { Grant, GrantStatus } from "../../../../src/domain/grant.js";
import { exampleConfig } from "../../../support/example-config.js";
import { aGrant, anAuditEvent, EVERY_STATUS } from "../../../support/grant-builder.js";
import { GRANT_NOTICES } from "../../../support/views.js";

const INJECTIONS = [
  "<!channel>",
  "<!here>",
  "<@U0123>",
  "<#C1>",
  "&amp;",
  "<script>alert(1)</script>",
  "<https://evil.example|click me>",
];

describe("escapeText", () => {
  it.each([
    ["<!channel>", "&lt;!channel&gt;"],
    ["<!here>", "&lt;!here&gt;"],
    ["<@U0123>", "&lt;@U0123&gt;"],
    ["<#C1>", "&lt;#C1&gt;"],
    ["&amp;", "&amp;amp;"],
    ["<script>", "&lt;script&gt;"],
    ["fish & chips > 3", "fish &amp; chips &gt; 3"],
    ["plain words, *bold* and `code`", "plain words, *bold* and `code`"],
  ])("escapes %j as %j", (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it("keeps a user's backticks from closing a code span", () => {
    expect(code("a`b<!here>")).toBe("`a\u02cbb&lt;!here&gt;`");
  });

  it("keeps every line of a quote inside the quote", () => {
    expect(blockQuote("one\n<!channel> two")).toBe(">one\n>&lt;!channel&gt; two");
  });
});

/** Fields Slack never parses for mentions or links: identifiers, URLs, input values, metadata. */
const NOT_RENDERED = new Set([
  "value",
  "initial_value",
  "url",
  "action_id",
  "block_id",
  "callback_id",
  "private_metadata",
]);

/** Slack control sequences the bot itself writes here: the fixtures' people and channel, date tokens. */
const OWN_TOKENS = [/^<@(U0REQUESTER|U0ADMIN)>$/, /^<#C0PRODADMIN>$/, /^<!date\^\d+\^[^|<>]+\|[^<>]+>$/];

function renderedStrings(value: unknown, key = ""): string[] {
  if (typeof value === "string") return NOT_RENDERED.has(key) ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((item) => renderedStrings(item, key));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => renderedStrings(v, k));
  }
  return [];
}

function hostileGrant(status: GrantStatus, evil: string): Grant {
  const now = Date.UTC(2026, 10, 27, 12, 0);
  return aGrant({
    id: "tstaaaa2",
    status,
    reason: `need it ${evil}`,
    outcomeReason: `because ${evil}`,
    rule: `rule ${evil}`,
    account: { id: "222222222222", alias: `prod${evil}`, name: `Production ${evil}` },
    permissionSet: { arn: "arn:aws:sso:::permissionSet/ssoins-1/ps-1", name: `ReadOnly${evil}` },
    requester: { slackId: "U0REQUESTER", email: `dev${evil}@example.com`, userId: "u-dev" },
    approvals: [{ slackId: "U0ADMIN", email: `admin${evil}@example.com`, at: now }],
    approvalsRequired: 2,
    decidedBy: evil,
    decidedAt: now,
    expiresAt: now + 3600_000,
    message: { channel: "C0PRODADMIN", ts: "1.2" },
  });
}

function everyView(evil: string): Array<[string, unknown]> {
  const now = Date.UTC(2026, 10, 27, 12, 0);
  const config = exampleConfig({
    accounts: { [`prod${evil}`]: { id: "222222222222", name: `Production ${evil}` } },
    permissionSets: { [`ReadOnly${evil}`]: "arn:aws:sso:::permissionSet/ssoins-1/ps-1" },
  });
  const user = { slackId: "U0REQUESTER", tz: "Europe/Berlin" };
  const offers = [
    {
      account: `prod${evil}`,
      permissionSets: [`ReadOnly${evil}`],
      maxDurationSeconds: 3600,
      autoApprove: false,
    },
  ];
  const grants = EVERY_STATUS.map((status) => hostileGrant(status, evil));
  return [
    ...grants.map((grant): [string, unknown] => [
      `approval message (${grant.status})`,
      approvalMessage(grant, now),
    ]),
    ...grants.flatMap((grant) =>
      GRANT_NOTICES.map((notice): [string, unknown] => [
        `${notice} notice (${grant.status})`,
        requesterNotice(grant, notice, config, user, now),
      ]),
    ),
    ...grants.map((grant): [string, unknown] => [
      `requested reply (${grant.status})`,
      commandReply({ kind: "requested", grants: [grant] }, config, now),
    ]),
    ["list reply", listReply(grants, now)],
    [
      "list reply of a request",
      listReply(
        grants.map((g) => ({ ...g, requestId: `r-${evil}` })),
        now,
      ),
    ],
    [
      "request message",
      requestMessage(
        grants.map((g) => ({ ...g, requestId: `r-${evil}` })),
        now,
      ),
    ],
    ["revoked reply", commandReply({ kind: "revoked", grant: hostileGrant("revoking", evil) }, config, now)],
    ["extended reply", commandReply({ kind: "extended", grant: hostileGrant("active", evil) }, config, now)],
    ["help reply", helpReply(offers, config)],
    [
      "request modal",
      requestModal(
        { accounts: [`prod${evil}`], reason: evil },
        config,
        offers,
        {},
        errorText(new RequestRefused(evil)),
      ),
    ],
    ["deny modal", denyReasonModal(evil)],
    ["result modal", resultModal(evil, escapeText(evil))],
    ["error text", errorText(new RequestRefused(`bad account '${evil}'`))],
    ["audit line", auditLine(hostileGrant("denied", evil), anAuditEvent({ actor: evil, reason: evil }))],
  ];
}

describe("views with hostile text", () => {
  it.each(INJECTIONS)("never let %j reach Slack as markup, in any view", (evil) => {
    for (const [name, view] of everyView(evil)) {
      for (const text of renderedStrings(view)) {
        const tokens = text.match(/<[^>]*>?/g) ?? [];
        for (const token of tokens) {
          expect(
            OWN_TOKENS.some((own) => own.test(token)),
            `${name}: ${token} in ${text}`,
          ).toBe(true);
        }
        expect(/&(?!amp;|lt;|gt;)/.test(text), `${name}: bare & in ${text}`).toBe(false);
      }
    }
  });

  it.each(INJECTIONS)("still shows %j to the reader, escaped", (evil) => {
    const rendered = JSON.stringify(
      approvalMessage(hostileGrant("pending", evil), Date.UTC(2026, 10, 27, 12, 0)),
    );
    expect(rendered).toContain(JSON.stringify(escapeText(evil)).slice(1, -1));
  });
});
