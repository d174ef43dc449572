import { describe, expect, it } from "vitest";
import { approvalMessage } from "../../../../../src/adapters/slack/views/approval.js";
import { commandReply } from "../../../../../src/adapters/slack/views/replies.js";
import { decideGrant } from "../../../../../src/app/decide.js";
import type { Grant } from "../../../../../src/domain/grant.js";
import { harness, PEOPLE } from "../../../../support/app-harness.js";
import { exampleConfig } from "../../../../support/example-config.js";
import { requestByCommand as request } from "../../../../support/use-cases.js";

const { admin } = PEOPLE;
/** The harness clock's start: Friday 27 November 2026, 09:00 UTC, 10:00 in Berlin (the requester's zone). */
const NOW = Date.UTC(2026, 10, 27, 9, 0);
const AT_14_BERLIN = Date.UTC(2026, 10, 27, 13, 0);

describe("the start of a scheduled request in the approval message and the replies", () => {
  it("shows the start with Slack's date token, so each reader sees their own time zone", async () => {
    const h = harness();
    const grant = await request(h, "prod AdministratorAccess 2h at 14:00 INC-42");
    const token = `<!date^${AT_14_BERLIN / 1000}^`;
    expect(JSON.stringify(approvalMessage(grant, NOW))).toContain(`*Starts*\\n${token}`);
    expect(commandReply({ kind: "requested", grants: [grant] }, exampleConfig(), NOW).text).toContain(
      `It starts ${token}`,
    );
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    const approved = (await h.store.get(grant.id)) as Grant;
    expect(JSON.stringify(approvalMessage(approved, NOW))).toContain(`Approved; starts ${token}`);
    expect(commandReply({ kind: "list", grants: [approved] }, exampleConfig(), NOW).text).toContain(
      `approved, starts ${token}`,
    );
  });
});
