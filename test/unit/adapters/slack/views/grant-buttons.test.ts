import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../../../../src/adapters/slack/action-ids.js";
import { readExtendValue } from "../../../../../src/adapters/slack/button-values.js";
import { approvalMessage } from "../../../../../src/adapters/slack/views/approval.js";
import { requesterNotice } from "../../../../../src/adapters/slack/views/notices.js";
import { exampleConfig } from "../../../../support/example-config.js";
import { aGrant } from "../../../../support/grant-builder.js";
import { buttons } from "../../../../support/views.js";

const NOW = Date.UTC(2026, 10, 27, 12, 30);
const HOUR = 3600_000;
const config = exampleConfig();
const active = aGrant({ id: "tstaaaa2", status: "active", activatedAt: NOW, expiresAt: NOW + HOUR });

describe("buttons where people are", () => {
  it("asks Slack's confirm dialog before Approve, and shows Revoke on the channel message while active", () => {
    const [approve] = buttons(approvalMessage(aGrant({ id: "tstaaaa2" }), NOW).blocks);
    expect(approve).toMatchObject({ action_id: ACTIONS.approve, confirm: { confirm: { text: "Approve" } } });
    expect(buttons(approvalMessage(active, NOW).blocks)).toEqual([
      expect.objectContaining({ action_id: ACTIONS.revoke, value: "tstaaaa2", confirm: expect.any(Object) }),
    ]);
  });

  it("offers Extend and Revoke now, both confirmed, in the expiry reminder", () => {
    const reminder = requesterNotice(active, "reminder", config, { slackId: "U0DEV" }, NOW, {
      extendBySeconds: 1800,
    });
    const [extend, revoke] = buttons(reminder.blocks);
    expect(extend).toMatchObject({ action_id: ACTIONS.extend, text: { text: "Extend 30m" } });
    expect(readExtendValue(String(extend?.value))).toEqual({ grantId: "tstaaaa2", seconds: 1800 });
    expect(revoke).toMatchObject({ action_id: ACTIONS.revokeNow, confirm: expect.any(Object) });
    const none = requesterNotice(active, "reminder", config, { slackId: "U0DEV" }, NOW);
    expect(buttons(none.blocks).map((b) => b.action_id)).toEqual([ACTIONS.revokeNow]);
  });
});
