import { describe, expect, it } from "vitest";
import { approvalMessage } from "../../../../../src/adapters/slack/views/approval.js";
import { auditLine } from "../../../../../src/adapters/slack/views/audit.js";
import { errorText } from "../../../../../src/adapters/slack/views/error-text.js";
import { extensionMessage } from "../../../../../src/adapters/slack/views/extension.js";
import {
  accountOptions,
  matching,
  permissionSetOptions,
} from "../../../../../src/adapters/slack/views/form-options.js";
import { homeView } from "../../../../../src/adapters/slack/views/home.js";
import { clip, SLACK_LIMITS } from "../../../../../src/adapters/slack/views/limits.js";
import {
  denyReasonModal,
  loadingModal,
  requestModal,
  resultModal,
} from "../../../../../src/adapters/slack/views/modals.js";
import { requesterNotice } from "../../../../../src/adapters/slack/views/notices.js";
import { nudgeMessage } from "../../../../../src/adapters/slack/views/nudge.js";
import { refusalLine } from "../../../../../src/adapters/slack/views/refusal.js";
import { commandReply } from "../../../../../src/adapters/slack/views/replies.js";
import { requestMessage } from "../../../../../src/adapters/slack/views/request-message.js";
import type { RequesterNotice } from "../../../../../src/app/ports.js";
import type { AccessConfig } from "../../../../../src/domain/config.js";
import { RequestRefused } from "../../../../../src/domain/errors.js";
import { MAX_REASON_LENGTH } from "../../../../../src/domain/grammar.js";
import type { Grant, GrantStatus } from "../../../../../src/domain/grant.js";
import type { Offer } from "../../../../../src/domain/policy.js";
import { homeProblems, messageProblems, modalProblems } from "../../../../support/block-limits.js";
import { exampleConfig } from "../../../../support/example-config.js";
import { aGrant, anAuditEvent, EVERY_STATUS } from "../../../../support/grant-builder.js";
import { GRANT_NOTICES } from "../../../../support/views.js";

const NOW = Date.UTC(2026, 10, 27, 12, 30);
const HOUR = 3600_000;

/** The characters that grow most when escaped, up to `length`. */
function expanding(length: number): string {
  return "&<>".repeat(Math.ceil(length / 3)).slice(0, length);
}

/** User text that tries every trick: escapes, mentions, links, backticks, quotes and line breaks. */
function hostile(length: number): string {
  return "<!channel> <@U0ADMIN> <https://evil.example|click> `x` > &amp; \n&<>"
    .repeat(Math.ceil(length / 60))
    .slice(0, length);
}

const NOTICES: RequesterNotice[] = [...GRANT_NOTICES, "extension-denied", "cancelled"];

/** A grant with every field a person or a config can make long, at or beyond its limit. */
function aMaximalGrant(status: GrantStatus, overrides: Partial<Grant> = {}): Grant {
  const approvals = Array.from({ length: 300 }, (_, i) => ({
    slackId: `W${String(i).padStart(30, "9")}`,
    email: `approver${i}@example.com`,
    at: NOW,
  }));
  return aGrant({
    id: "k".repeat(64),
    status,
    requester: { slackId: `U${"X".repeat(30)}`, email: "dev@example.com", userId: "u-dev" },
    account: { id: "2".repeat(12), alias: `prod-${"a".repeat(59)}`, name: expanding(256) },
    permissionSet: { arn: "arn:aws:sso:::permissionSet/ssoins-1/ps-1", name: expanding(128) },
    rule: expanding(128),
    reason: expanding(MAX_REASON_LENGTH),
    approvalsRequired: 400,
    approvals,
    decidedBy: approvals[0]?.slackId,
    decidedAt: NOW,
    activatedAt: NOW,
    expiresAt: NOW + 4 * HOUR,
    endedAt: NOW,
    outcomeReason: hostile(12_000),
    message: { channel: `C${"Z".repeat(30)}`, ts: "1.2" },
    preExisting: true,
    ...overrides,
  });
}

/** An extension asked for and approved by as many people as could be. */
function aMaximalExtension(status: "pending" | "approved" | "denied" | "dropped") {
  const approvals = Array.from({ length: 300 }, (_, i) => ({
    slackId: `W${String(i).padStart(30, "8")}`,
    email: `x${i}@example.com`,
    at: NOW,
  }));
  return {
    id: `e${"9".repeat(10)}`,
    by: `U${"E".repeat(30)}`,
    addSeconds: 7 * 24 * 3600,
    requestedAt: NOW,
    required: 400,
    approvals,
    status,
    decidedBy: `U${"D".repeat(30)}`,
    decidedAt: NOW,
    reason: hostile(MAX_REASON_LENGTH),
  };
}

/** A config whose names are as long and as many as an operator could make them. */
function aMaximalConfig(): AccessConfig {
  const base = exampleConfig();
  const accounts = Object.fromEntries(
    Array.from({ length: 300 }, (_, i) => [
      `${i}-${"x".repeat(140)}`,
      { id: String(100000000000 + i), name: expanding(200) },
    ]),
  );
  const permissionSets = Object.fromEntries(
    Array.from({ length: 150 }, (_, i) => [`${i}${"P".repeat(31)}`, `arn:aws:sso:::permissionSet/i/ps-${i}`]),
  );
  return {
    ...base,
    identityCenter: { ...base.identityCenter, portalUrl: `https://${"p".repeat(2900)}.awsapps.com/start` },
    accounts,
    permissionSets,
  };
}

describe("Slack limits of every view with maximal input", () => {
  const config = aMaximalConfig();

  it.each(EVERY_STATUS)("keeps the approval message within limits while %s", (status) => {
    expect(messageProblems(approvalMessage(aMaximalGrant(status), NOW))).toEqual([]);
  });

  it.each(NOTICES)("keeps the %s direct message within limits", (notice) => {
    const user = { slackId: "U0DEV", tz: "Asia/Kathmandu" };
    const extras = { sessionSeconds: 12 * 3600, extendBySeconds: 3600 };
    const grant = aMaximalGrant("active", { extension: aMaximalExtension("denied") });
    expect(messageProblems(requesterNotice(grant, notice, config, user, NOW, extras))).toEqual([]);
  });

  it.each(["pending", "approved", "denied", "dropped"] as const)(
    "keeps an extension request within limits once %s",
    (status) => {
      const grant = aMaximalGrant("active", { extension: aMaximalExtension(status) });
      expect(messageProblems(extensionMessage(grant, NOW))).toEqual([]);
    },
  );

  it("keeps the approvers' reminder within limits with every mention", () => {
    const approvers = {
      slackIds: Array.from({ length: 10 }, (_, i) => `W${String(i).padStart(30, "9")}`),
      more: true,
    };
    expect(messageProblems(nudgeMessage(aMaximalGrant("pending"), approvers, NOW))).toEqual([]);
  });

  it("keeps a refusal in the audit channel within limits, with the count held back", () => {
    const event = anAuditEvent({ type: "refused", grantId: "k".repeat(300), reason: hostile(50_000) });
    expect(messageProblems(refusalLine(`U${"Q".repeat(30)}`, event, 9_999))).toEqual([]);
    expect(messageProblems(refusalLine("unknown <@U0ADMIN>", undefined, 7))).toEqual([]);
  });

  it("keeps a Home tab within limits with every list full", () => {
    const many = (status: GrantStatus, n: number) =>
      Array.from({ length: n }, (_, i) =>
        aMaximalGrant(status, {
          id: `${status}${i}`.padStart(64, "k"),
          extension: aMaximalExtension("pending"),
        }),
      );
    const mine = many("active", 40);
    const home = {
      viewer: "U0DEV",
      mine,
      toApprove: many("pending", 60),
      extensionsToApprove: many("active", 30),
      revocable: many("active", 60),
      extendBy: Object.fromEntries(mine.map((g) => [g.id, 3600])),
      notice: errorText(new RequestRefused(hostile(10_000))),
    };
    expect(homeProblems(homeView(home, NOW) as unknown as Record<string, unknown>)).toEqual([]);
  });

  it("keeps an audit line within limits with an endless reason", () => {
    const event = anAuditEvent({ type: "denied", actor: `U${"Q".repeat(30)}`, reason: hostile(50_000) });
    expect(messageProblems(auditLine(aMaximalGrant("denied"), event))).toEqual([]);
  });

  it.each(["revoked", "extended"] as const)("keeps the %s reply within limits", (kind) => {
    const reply = commandReply({ kind, grant: aMaximalGrant("active") }, config, NOW);
    expect(messageProblems(reply)).toEqual([]);
  });

  it("keeps the requested reply within limits for one grant and for ten parts", () => {
    const one = commandReply({ kind: "requested", grants: [aMaximalGrant("active")] }, config, NOW);
    const parts = Array.from({ length: 10 }, (_, i) =>
      aMaximalGrant(i % 2 === 0 ? "pending" : "active", { requestId: `r-${"k".repeat(200)}`, startsAt: NOW }),
    );
    const ten = commandReply({ kind: "requested", grants: parts }, config, NOW);
    const revoked = commandReply(
      { kind: "revoked-request", requestId: "r-k".repeat(100), grants: parts },
      config,
      NOW,
    );
    expect([...messageProblems(one), ...messageProblems(ten), ...messageProblems(revoked)]).toEqual([]);
  });

  it("keeps a list of fifty grants within limits", () => {
    const grants = Array.from({ length: 50 }, (_, i) =>
      aMaximalGrant(i % 2 === 0 ? "active" : "pending", { id: `${i}`.padStart(64, "k") }),
    );
    expect(messageProblems(commandReply({ kind: "list", grants }, config, NOW))).toEqual([]);
  });

  it("keeps help within limits for someone offered every account", () => {
    const offers: Offer[] = Object.keys(config.accounts).map((account) => ({
      account,
      permissionSets: Object.keys(config.permissionSets),
      maxDurationSeconds: 8 * 3600,
      autoApprove: false,
    }));
    expect(messageProblems(commandReply({ kind: "help", offers }, config, NOW))).toEqual([]);
  });

  it("keeps the request form within limits with every field at its longest", () => {
    const problem = errorText(new RequestRefused(`There is no account ${hostile(20_000)}`));
    const prefill = {
      accounts: Object.keys(config.accounts).slice(0, 12),
      permissionSets: ["x".repeat(5000), ...Object.keys(config.permissionSets)],
      durationSeconds: 7 * 24 * 3600,
      start: { kind: "at" as const, day: "2026-12-01", time: "09:30" },
      reason: `${"😀".repeat(MAX_REASON_LENGTH)}${hostile(4000)}`,
    };
    const offers = Object.keys(config.accounts).map((account) => ({
      account,
      permissionSets: Object.keys(config.permissionSets),
      maxDurationSeconds: 8 * 3600,
      autoApprove: false,
    }));
    const meta = {
      channel: `C${"9".repeat(4000)}`,
      requester: { email: "x".repeat(2000), groups: ["g".repeat(2000)] },
    };
    const view = requestModal(prefill, config, offers, meta, problem);
    expect(modalProblems(view as unknown as Record<string, unknown>)).toEqual([]);
  });

  it("keeps the request form with a hundred accounts as static choices within limits", () => {
    const offers: Offer[] = Object.keys(config.accounts)
      .slice(0, 100)
      .map((account, i) => ({
        account,
        permissionSets: Object.keys(config.permissionSets).slice(0, 100),
        maxDurationSeconds: (i + 1) * 3600,
        autoApprove: i % 2 === 0,
      }));
    const view = requestModal({ accounts: Object.keys(config.accounts).slice(0, 10) }, config, offers);
    expect(JSON.stringify(view.blocks)).toContain('"type":"multi_static_select"');
    expect(modalProblems(view as unknown as Record<string, unknown>)).toEqual([]);
  });

  it("keeps every typeahead answer within limits", () => {
    const offers: Offer[] = Object.keys(config.accounts).map((account) => ({
      account,
      permissionSets: Object.keys(config.permissionSets),
      maxDurationSeconds: 8 * 3600,
      autoApprove: false,
    }));
    const answers = [
      matching(accountOptions(offers, config), ""),
      matching(permissionSetOptions(offers), "P"),
    ];
    for (const options of answers) {
      expect(options.length).toBeLessThanOrEqual(SLACK_LIMITS.selectOptions);
      const long = options.filter(
        (o) =>
          o.text.text.length > SLACK_LIMITS.optionText || (o.value ?? "").length > SLACK_LIMITS.optionValue,
      );
      expect(long).toEqual([]);
    }
  });

  it.each(EVERY_STATUS)("keeps the message of a request of ten parts within limits while %s", (status) => {
    const parts = Array.from({ length: 10 }, (_, i) =>
      aMaximalGrant(i === 0 ? status : (EVERY_STATUS[i % EVERY_STATUS.length] ?? status), {
        id: `${i}`.padStart(64, "k"),
        requestId: `r-${"k".repeat(64)}`,
        startsAt: NOW + HOUR,
      }),
    );
    expect(messageProblems(requestMessage(parts, NOW))).toEqual([]);
  });

  it.each([
    ["the deny form", denyReasonModal("k".repeat(4000))],
    ["the loading form", loadingModal()],
    ["a result", resultModal(expanding(200), errorText(new RequestRefused(hostile(10_000))))],
  ])("keeps %s within limits", (_what, view) => {
    expect(modalProblems(view as unknown as Record<string, unknown>)).toEqual([]);
  });
});

describe("clipping text", () => {
  it.each([
    ["an escape", "&amp;", "a".repeat(95)],
    ["a mention", "<@U0ADMIN>", "a".repeat(93)],
    ["a date token", "<!date^1700000000^{date_short_pretty}|2023-11-14>", "a".repeat(80)],
    ["a surrogate pair", "😀", "a".repeat(97)],
  ])("never cuts %s in half", (_what, token, lead) => {
    for (let shift = 0; shift < 12; shift++) {
      const text = `${lead.slice(shift)}${token.repeat(30)}`;
      const cut = clip(text, 100);
      expect(cut.length).toBeLessThanOrEqual(100);
      expect(cut.endsWith("…")).toBe(true);
      const kept = cut.slice(0, -1);
      expect(text.startsWith(kept)).toBe(true);
      const rest = kept.slice(lead.length - shift);
      expect(rest.length % token.length).toBe(0);
    }
  });

  it("closes a code span it cuts into", () => {
    const cut = clip(`id \`${"k".repeat(200)}\``, 50);
    expect(cut.split("`")).toHaveLength(3);
    expect(cut.length).toBeLessThanOrEqual(50);
  });

  it("leaves text within the limit as it is", () => {
    expect(clip("short &amp; sweet", SLACK_LIMITS.sectionText)).toBe("short &amp; sweet");
  });
});
