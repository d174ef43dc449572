import { describe, expect, it } from "vitest";
import { nudgeMessage } from "../../../../../src/adapters/slack/views/nudge.js";
import { aGrant } from "../../../../support/grant-builder.js";

const NOW = Date.UTC(2026, 10, 27, 12, 30);

describe("the approvers' reminder in the thread", () => {
  it("mentions the approvers in the reminder and says when more were left out", () => {
    const pending = aGrant({ createdAt: NOW - 30 * 60_000 });
    const text = nudgeMessage(pending, { slackIds: ["U0ADMIN", "U0LEAD"], more: true }, NOW).text;
    expect(text).toMatch(/^:bell: <@U0ADMIN> <@U0LEAD> and others of rule `prod-readonly`: request `/);
    expect(text).toContain("has waited 30m (0 of 1 approval)");
  });
});
