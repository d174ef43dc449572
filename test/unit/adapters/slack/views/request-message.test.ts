import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../../../../src/adapters/slack/action-ids.js";
import { requestMessage } from "../../../../../src/adapters/slack/views/request-message.js";
import { REQUEST, requestParts } from "../../../../support/views.js";

const NOW = Date.UTC(2026, 10, 27, 12, 30);
function buttons(message: {
  blocks: unknown[];
}): Array<{ action_id: string; value: string; confirm?: unknown }> {
  return message.blocks.flatMap((block) => {
    const b = block as {
      type: string;
      elements?: Array<{ action_id: string; value: string; confirm?: unknown }>;
    };
    return b.type === "actions" ? (b.elements ?? []) : [];
  });
}

describe("the message of a request of several parts", () => {
  it("shows every part with its rule and status, and one Approve and one Deny for all of them", () => {
    const message = requestMessage(
      requestParts(
        { rule: "prod-admin", approvals: [{ slackId: "U0ADMIN", email: "a@example.com", at: NOW }] },
        { rule: "staging-lead", account: { id: "333333333333", alias: "staging" } },
        { rule: "staging-self-service", approvalsRequired: 0 },
      ),
      NOW,
    );
    const text = JSON.stringify(message.blocks);
    expect(text).toContain(`Access request \`${REQUEST}\` from <@U0DEV>: 3 parts, decided together`);
    expect(text).toContain(
      "`part0aaa` *ReadOnly* on Production (prod, 222222222222), rule `prod-admin`: 1 of 1 approval",
    );
    expect(text).toContain("rule `staging-lead`: 0 of 1 approval");
    expect(text).toContain("rule `staging-self-service`: no approval needed");
    expect(text).toContain("Waiting for approval: 2 of 3 parts have theirs");
    expect(text).toContain("Approved so far by <@U0ADMIN>");
    const [approve, deny] = buttons(message);
    expect(approve).toMatchObject({
      action_id: ACTIONS.approve,
      value: "part0aaa",
      confirm: expect.anything(),
    });
    expect(deny).toMatchObject({ action_id: ACTIONS.deny, value: "part0aaa" });
  });

  it("offers a Revoke for each active part once decided, and counts the parts by status", () => {
    const message = requestMessage(
      requestParts(
        {
          status: "active",
          expiresAt: NOW + 3600_000,
          approvals: [{ slackId: "U0ADMIN", email: "", at: NOW }],
        },
        { status: "failed", outcomeReason: "quota" },
      ),
      NOW,
    );
    expect(buttons(message).map((b) => [b.action_id, b.value])).toEqual([[ACTIONS.revoke, "part0aaa"]]);
    expect(JSON.stringify(message.blocks)).toContain("1 active, 1 failed");
  });

  it("shows a scheduled start with Slack's date token", () => {
    const start = NOW + 3 * 3600_000;
    const message = requestMessage(requestParts({ startsAt: start }, { startsAt: start }), NOW);
    expect(JSON.stringify(message.blocks)).toContain(`*Starts*\\n<!date^${start / 1000}^`);
  });
});
