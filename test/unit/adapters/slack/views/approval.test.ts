import { describe, expect, it } from "vitest";
import { ACTIONS, DENY_FIELDS, REQUEST_FIELDS, VIEWS } from "../../../../../src/adapters/slack/action-ids.js";
import { approvalMessage } from "../../../../../src/adapters/slack/views/approval.js";
import { auditLine } from "../../../../../src/adapters/slack/views/audit.js";
import type { Block, SlackMessage } from "../../../../../src/adapters/slack/views/blocks.js";
import { errorText } from "../../../../../src/adapters/slack/views/error-text.js";
import { localTime } from "../../../../../src/adapters/slack/views/format.js";
import { denyReasonModal, requestModal } from "../../../../../src/adapters/slack/views/modals.js";
import { portalLink, requesterNotice } from "../../../../../src/adapters/slack/views/notices.js";
import { commandReply, helpReply, listReply } from "../../../../../src/adapters/slack/views/replies.js";
import type { RequesterNotice } from "../../../../../src/app/ports.js";
import { GrantNotFound, NotAuthorised } from "../../../../../src/domain/errors.js";
import type { GrantStatus } from "../../../../../src/domain/grant.js";
import { offersFor } from "../../../../../src/domain/policy.js";
import { exampleConfig } from "../../../../support/example-config.js";
import { aGrant, anAuditEvent } from "../../../../support/grant-builder.js";

const NOW = Date.UTC(2026, 10, 27, 12, 30);
const HOUR = 3600_000;

function actionsOf(message: { blocks?: Block[] }): Array<Record<string, unknown>> {
  return (message.blocks ?? []).flatMap((block) =>
    block.type === "actions" ? (block.elements as unknown as Array<Record<string, unknown>>) : [],
  );
}

function textOf(message: SlackMessage): string {
  return JSON.stringify(message.blocks);
}

describe("approval request message", () => {
  it("shows Approve and Deny buttons carrying the grant id while pending", () => {
    const grant = aGrant({ id: "tstaaaa2" });
    const buttons = actionsOf(approvalMessage(grant, NOW));
    expect(buttons.map((b) => [b.action_id, b.value, b.style])).toEqual([
      [ACTIONS.approve, "tstaaaa2", "primary"],
      [ACTIONS.deny, "tstaaaa2", "danger"],
    ]);
  });

  // Active grants show Revoke (test/unit/adapters/slack/views/grant-buttons.test.ts).
  it.each<GrantStatus>(["provisioning", "revoking", "ended", "denied", "cancelled", "timed-out", "failed"])(
    "has no buttons once %s",
    (status) => {
      const grant = aGrant({ status, expiresAt: NOW + HOUR, decidedBy: "U0ADMIN", decidedAt: NOW });
      expect(actionsOf(approvalMessage(grant, NOW))).toEqual([]);
    },
  );

  it("names the requester, account, permission set, duration, rule and reason", () => {
    const message = approvalMessage(aGrant({ id: "tstaaaa2", durationSeconds: 4 * 3600 }), NOW);
    const text = textOf(message);
    for (const part of [
      "<@U0REQUESTER>",
      "Production (prod, 222222222222)",
      "ReadOnly",
      "4h",
      "`prod-readonly`",
      "fixing INC-123",
    ]) {
      expect(text).toContain(part);
    }
    expect(message.text).toContain("`tstaaaa2`");
  });

  it("counts approvals so far against the quorum", () => {
    const grant = aGrant({
      approvalsRequired: 2,
      approvals: [{ slackId: "U0ADMIN", email: "a@example.com", at: NOW }],
    });
    const text = textOf(approvalMessage(grant, NOW));
    expect(text).toContain("1 of 2 approvals");
    expect(text).toContain("Approved so far by <@U0ADMIN>");
  });

  it("shows the expiry, who approved and when for an active grant", () => {
    const grant = aGrant({
      status: "active",
      approvals: [{ slackId: "U0ADMIN", email: "a@example.com", at: NOW }],
      decidedBy: "U0ADMIN",
      decidedAt: NOW,
      expiresAt: NOW + 4 * HOUR,
    });
    const text = textOf(approvalMessage(grant, NOW));
    expect(text).toContain(`Active until <!date^${(NOW + 4 * HOUR) / 1000}^`);
    expect(text).toContain("(in 4h)");
    expect(text).toContain(`Approved by <@U0ADMIN> <!date^${NOW / 1000}^`);
  });

  it("says a grant was approved by its rule when nobody clicked", () => {
    const grant = aGrant({ status: "provisioning", rule: "staging-self-service", decidedAt: NOW });
    expect(textOf(approvalMessage(grant, NOW))).toContain(
      "Approved automatically by rule `staging-self-service`",
    );
  });

  it("shows who denied it and why", () => {
    const grant = aGrant({
      status: "denied",
      decidedBy: "U0ADMIN",
      decidedAt: NOW,
      outcomeReason: "use staging",
    });
    const text = textOf(approvalMessage(grant, NOW));
    expect(text).toContain("Denied: use staging");
    expect(text).toContain("Denied by <@U0ADMIN>");
  });
});

describe("requester notices", () => {
  const config = exampleConfig();
  const berlin = { slackId: "U0REQUESTER", tz: "Europe/Berlin" };

  it("links a granted access to the portal console for the account and permission set", () => {
    const grant = aGrant({ status: "active", expiresAt: NOW + 4 * HOUR });
    const link = actionsOf(requesterNotice(grant, "granted", config, berlin, NOW)).find(
      (element) => element.action_id === ACTIONS.portalLink,
    );
    expect(link?.url).toBe(
      "https://acme.awsapps.com/start/#/console?account_id=222222222222&role_name=ReadOnly",
    );
  });

  it("leaves the portal link out when no portal URL is configured", () => {
    const grant = aGrant({ status: "active", expiresAt: NOW + 4 * HOUR });
    const bare = exampleConfig({ identityCenter: {} });
    expect(portalLink(grant, bare)).toBeUndefined();
    expect(actionsOf(requesterNotice(grant, "granted", bare, berlin, NOW)).map((e) => e.action_id)).toEqual([
      ACTIONS.revokeNow,
    ]);
  });

  it("shows the expiry in the requester's own time zone", () => {
    const grant = aGrant({ status: "active", expiresAt: NOW + 4 * HOUR });
    expect(requesterNotice(grant, "granted", config, berlin, NOW).text).toContain("until 17:30 CET (in 4h)");
    const newYork = { slackId: "U0REQUESTER", tz: "America/New_York" };
    expect(requesterNotice(grant, "granted", config, newYork, NOW).text).toContain("until 11:30 EST (in 4h)");
  });

  it("offers a Revoke now button carrying the grant id", () => {
    const grant = aGrant({ id: "tstaaaa2", status: "active", expiresAt: NOW + HOUR });
    const revoke = actionsOf(requesterNotice(grant, "granted", config, berlin, NOW)).find(
      (element) => element.action_id === ACTIONS.revokeNow,
    );
    expect(revoke?.value).toBe("tstaaaa2");
  });

  it("passes on the approver's reason for a denial", () => {
    const grant = aGrant({ status: "denied", decidedBy: "U0ADMIN", outcomeReason: "use staging" });
    const text = requesterNotice(grant, "denied", config, berlin, NOW).text;
    expect(text).toContain("denied by <@U0ADMIN>");
    expect(text).toContain(">use staging");
  });

  it("passes on Identity Center's reason for a failure", () => {
    const grant = aGrant({ status: "failed", outcomeReason: "permission set not provisioned" });
    expect(requesterNotice(grant, "failed", config, berlin, NOW).text).toContain(
      "permission set not provisioned",
    );
  });

  it.each<RequesterNotice>([
    "requested",
    "granted",
    "denied",
    "failed",
    "reminder",
    "expired",
    "revoked",
    "extended",
    "timed-out",
  ])("puts the grant id in backticks for %s", (notice) => {
    const grant = aGrant({ id: "tstaaaa2", status: "active", expiresAt: NOW + HOUR });
    expect(requesterNotice(grant, notice, config, berlin, NOW).text).toContain("`tstaaaa2`");
  });

  it("shows the date as well when the expiry is not today where the requester is", () => {
    expect(localTime(NOW + 20 * HOUR, "Europe/Berlin", NOW)).toBe("Sat 28 Nov 09:30 CET (in 20h)");
  });

  it("falls back to UTC for an unknown time zone", () => {
    expect(localTime(NOW + HOUR, "Mars/Olympus", NOW)).toBe("13:30 UTC (in 1h)");
  });
});

describe("command replies", () => {
  const config = exampleConfig();

  it("lists pending and active grants with ids in backticks and expiry", () => {
    const reply = listReply(
      [
        aGrant({ id: "tstaaaa2" }),
        aGrant({ id: "tstaaaa3", status: "active", expiresAt: NOW + 2 * HOUR }),
        aGrant({ id: "tstaaaa4", status: "ended" }),
      ],
      NOW,
    );
    expect(reply.text).toContain("`tstaaaa2`");
    expect(reply.text).toContain("pending, 0 of 1 approval");
    expect(reply.text).toContain("`tstaaaa3`");
    expect(reply.text).toContain("(in 2h)");
    expect(reply.text).not.toContain("tstaaaa4");
  });

  it("says so when there is nothing to list", () => {
    expect(listReply([], NOW).text).toContain("no pending or active grants");
  });

  it("shows the grammar and what this person may ask for", () => {
    const reply = helpReply(
      [
        {
          account: "prod",
          permissionSets: ["ReadOnly", "AdministratorAccess"],
          maxDurationSeconds: 4 * 3600,
          autoApprove: false,
        },
        { account: "staging", permissionSets: ["ReadOnly"], maxDurationSeconds: 8 * 3600, autoApprove: true },
      ],
      config,
    );
    expect(reply.text).toContain("/aws-access &lt;account&gt; &lt;permission-set&gt;");
    expect(reply.text).toContain(
      "*prod* (Production): ReadOnly, AdministratorAccess; up to 4h, needs approval",
    );
    expect(reply.text).toContain("*staging*: ReadOnly; up to 8h, granted at once");
  });

  it("tells the requester their request id and that it awaits approval", () => {
    const reply = commandReply({ kind: "requested", grants: [aGrant({ id: "tstaaaa2" })] }, config, NOW);
    expect(reply.text).toContain("Request `tstaaaa2`");
    expect(reply.text).toContain("waiting for approval");
  });
});

describe("modals", () => {
  const config = exampleConfig();

  it("pre-fills the request form with what the command already said", () => {
    const offers = offersFor(config, { slackId: "U0DEV", email: "dev@example.com", groups: ["Engineers"] });
    const view = requestModal(
      { accounts: ["PROD"], permissionSets: ["readonly"], durationSeconds: 5400, reason: "INC-9" },
      config,
      offers,
    );
    const blocks = JSON.stringify(view.blocks);
    expect(view.callback_id).toBe(VIEWS.request);
    expect(blocks).toContain(
      `"initial_options":[{"text":{"type":"plain_text","text":"prod (Production) · up to 4h, needs approval","emoji":true},"value":"prod"}]`,
    );
    expect(blocks).toContain(
      `"initial_options":[{"text":{"type":"plain_text","text":"ReadOnly · up to 4h–8h, some need approval","emoji":true},"value":"ReadOnly"}]`,
    );
    expect(blocks).toContain(`"initial_value":"1h30m"`);
    expect(blocks).toContain(`"initial_value":"INC-9"`);
    for (const field of Object.values(REQUEST_FIELDS)) expect(blocks).toContain(field.block);
  });

  it("carries the grant id of a denial in its metadata", () => {
    const view = denyReasonModal("tstaaaa2");
    expect(view.private_metadata).toBe("tstaaaa2");
    expect(JSON.stringify(view.blocks)).toContain(DENY_FIELDS.reason.block);
  });
});

describe("error text", () => {
  it("shows a domain error's own message", () => {
    expect(errorText(new GrantNotFound("tstaaaa2"))).toBe(":warning: no grant `tstaaaa2`");
    expect(errorText(new NotAuthorised("only approvers of prod-admin may approve"))).toContain(
      "only approvers",
    );
  });

  it("never shows anything else's message, only a reference", () => {
    const text = errorText(new Error("connect ECONNREFUSED 10.0.0.7:8000 secret-table"), "ab12cd34");
    expect(text).toBe(
      ":warning: Something went wrong on our side; nothing was changed. Reference: `ab12cd34`",
    );
  });
});

describe("audit line", () => {
  it("names the grant, the event, the actor and the reason", () => {
    const line = auditLine(
      aGrant({ id: "tstaaaa2" }),
      anAuditEvent({ type: "denied", actor: "U0ADMIN", reason: "no" }),
    );
    expect(line.text).toContain("`tstaaaa2` *denied* by <@U0ADMIN>");
    expect(line.text).toContain(": no");
  });
});
