import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../../../../src/adapters/slack/action-ids.js";
import type { Block } from "../../../../../src/adapters/slack/views/blocks.js";
import { homeView } from "../../../../../src/adapters/slack/views/home.js";
import { aGrant } from "../../../../support/grant-builder.js";
import { buttons, EXTENSION_SCENE } from "../../../../support/views.js";

const { now: NOW, active, waiting } = EXTENSION_SCENE;

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
