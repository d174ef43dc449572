import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../../../../src/adapters/slack/action-ids.js";
import { approvalMessage } from "../../../../../src/adapters/slack/views/approval.js";
import type { GrantStatus } from "../../../../../src/domain/grant.js";
import { aGrant } from "../../../../support/grant-builder.js";
import { actionsOf, textOf } from "../../../../support/views.js";

const NOW = Date.UTC(2026, 10, 27, 12, 30);
const HOUR = 3600_000;

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
