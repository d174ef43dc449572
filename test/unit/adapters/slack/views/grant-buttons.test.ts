import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../../../../src/adapters/slack/action-ids.js";
import { readExtendValue, readExtensionValue } from "../../../../../src/adapters/slack/button-values.js";
import { approvalMessage } from "../../../../../src/adapters/slack/views/approval.js";
import type { Block } from "../../../../../src/adapters/slack/views/blocks.js";
import { extensionMessage } from "../../../../../src/adapters/slack/views/extension.js";
import { homeView } from "../../../../../src/adapters/slack/views/home.js";
import { requesterNotice } from "../../../../../src/adapters/slack/views/notices.js";
import { nudgeMessage } from "../../../../../src/adapters/slack/views/nudge.js";
import { refusalLine } from "../../../../../src/adapters/slack/views/refusal.js";
import type { ExtensionRequest } from "../../../../../src/domain/grant.js";
import { exampleConfig } from "../../../../support/example-config.js";
import { aGrant, anAuditEvent } from "../../../../support/grant-builder.js";

const NOW = Date.UTC(2026, 10, 27, 12, 30);
const HOUR = 3600_000;
const config = exampleConfig();
const active = aGrant({ id: "tstaaaa2", status: "active", activatedAt: NOW, expiresAt: NOW + HOUR });

function buttons(blocks: readonly Block[] | undefined): Array<Record<string, unknown>> {
  return (blocks ?? []).flatMap((block) =>
    block.type === "actions" ? (block.elements as unknown as Array<Record<string, unknown>>) : [],
  );
}

const waiting: ExtensionRequest = {
  id: "e7",
  by: "U0REQUESTER",
  addSeconds: 1800,
  requestedAt: NOW,
  required: 2,
  approvals: [{ slackId: "U0ADMIN", email: "admin@example.com", at: NOW }],
  status: "pending",
};

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

  it("reads back only well-formed button values", () => {
    expect(readExtendValue("tstaaaa2:90")).toBeUndefined();
    expect(readExtendValue("tstaaaa2:3600:1")).toBeUndefined();
    expect(readExtensionValue("tstaaaa2:e7")).toEqual({ grantId: "tstaaaa2", extensionId: "e7" });
    expect(readExtensionValue("tstaaaa2:<!channel>")).toBeUndefined();
  });
});

describe("extension requests and reminders in the thread", () => {
  it("carries the grant and the request in Approve and Deny while it waits", () => {
    const message = extensionMessage({ ...active, extension: waiting }, NOW);
    expect(buttons(message.blocks).map((b) => [b.action_id, b.value])).toEqual([
      [ACTIONS.approveExtension, "tstaaaa2:e7"],
      [ACTIONS.denyExtension, "tstaaaa2:e7"],
    ]);
    expect(message.text).toContain("Needs 1 of 2 approvals; approved so far by <@U0ADMIN>");
  });

  it("says how it ended, without buttons, and quotes a denial's reason literally", () => {
    const denied = { ...waiting, status: "denied" as const, decidedBy: "U0LEAD", reason: "<!here> not now" };
    const message = extensionMessage({ ...active, extension: denied }, NOW);
    expect(buttons(message.blocks)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain("&lt;!here&gt; not now");
    const dropped = extensionMessage({ ...active, extension: { ...waiting, status: "dropped" } }, NOW);
    expect(dropped.text).toContain("was not decided before the grant ended");
  });

  it("mentions the approvers in the reminder and says when more were left out", () => {
    const pending = aGrant({ createdAt: NOW - 30 * 60_000 });
    const text = nudgeMessage(pending, { slackIds: ["U0ADMIN", "U0LEAD"], more: true }, NOW).text;
    expect(text).toMatch(/^:bell: <@U0ADMIN> <@U0LEAD> and others of rule `prod-readonly`: request `/);
    expect(text).toContain("has waited 30m (0 of 1 approval)");
  });
});

describe("the audit channel's refusal line", () => {
  it("escapes what the refused person typed and adds the count held back", () => {
    const event = anAuditEvent({ type: "refused", reason: "no grant `<!channel>`" });
    const text = refusalLine("U0OUT", event, 3).text;
    expect(text).toContain("&lt;!channel&gt;");
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("…and 3 more refusals from <@U0OUT> in the last minute");
  });
});

describe("the Home tab view", () => {
  it("gives the viewer Revoke and Extend, approvers Approve and Deny and Revoke, each where it belongs", () => {
    const pending = aGrant({ id: "tstpend2" });
    const other = { ...active, id: "tstothr2", requester: { ...active.requester, slackId: "U0OTHER" } };
    const extension = { ...other, id: "tstextn2", extension: waiting };
    const view = homeView(
      {
        viewer: "U0REQUESTER",
        mine: [active],
        toApprove: [pending],
        extensionsToApprove: [extension],
        revocable: [other],
        extendBy: { [active.id]: 3600 },
      },
      NOW,
    );
    expect(buttons(view.blocks as Block[]).map((b) => [b.action_id, String(b.value)])).toEqual([
      [ACTIONS.revoke, "tstaaaa2"],
      [ACTIONS.extend, "tstaaaa2:3600"],
      [ACTIONS.approve, "tstpend2"],
      [ACTIONS.deny, "tstpend2"],
      [ACTIONS.approveExtension, "tstextn2:e7"],
      [ACTIONS.denyExtension, "tstextn2:e7"],
      [ACTIONS.revoke, "tstothr2"],
    ]);
  });
});
