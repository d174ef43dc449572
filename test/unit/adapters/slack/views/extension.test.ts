import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../../../../src/adapters/slack/action-ids.js";
import { extensionMessage } from "../../../../../src/adapters/slack/views/extension.js";
import { buttons, EXTENSION_SCENE } from "../../../../support/views.js";

const { now: NOW, active, waiting } = EXTENSION_SCENE;

describe("extension requests in the thread", () => {
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
});
