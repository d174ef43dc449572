import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../../../../src/adapters/slack/action-ids.js";
import type { Block } from "../../../../../src/adapters/slack/views/blocks.js";
import { homeView } from "../../../../../src/adapters/slack/views/home.js";
import { aGrant } from "../../../../support/grant-builder.js";
import { aWaitingExtension, buttons } from "../../../../support/views.js";

const NOW = Date.UTC(2026, 10, 27, 12, 30);
const HOUR = 3600_000;
const active = aGrant({ id: "tstaaaa2", status: "active", activatedAt: NOW, expiresAt: NOW + HOUR });
const waiting = aWaitingExtension(NOW);

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
