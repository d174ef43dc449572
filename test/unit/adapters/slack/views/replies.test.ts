import { describe, expect, it } from "vitest";
import {
  commandReply,
  helpReply,
  listReply,
  requestedReply,
} from "../../../../../src/adapters/slack/views/replies.js";
import { exampleConfig } from "../../../../support/example-config.js";
import { aGrant } from "../../../../support/grant-builder.js";
import { REQUEST, requestParts } from "../../../../support/views.js";

const NOW = Date.UTC(2026, 10, 27, 12, 30);
const HOUR = 3600_000;

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

describe("replies about requests of several parts", () => {
  it("tells the requester the request id and every part's grant id", () => {
    const reply = requestedReply(
      requestParts({}, { id: "part1bbb", permissionSet: { arn: "x", name: "Billing" } }),
      NOW,
    );
    expect(reply.text).toContain(`Request \`${REQUEST}\` for 2 parts, 1h each, is waiting for approval`);
    expect(reply.text).toContain("`part1bbb` *Billing*");
  });

  it("groups the parts of a request under its id in the list, beside single grants", () => {
    const single = aGrant({ id: "single22", status: "active", expiresAt: NOW + 3600_000 });
    const reply = listReply(
      [...requestParts({ status: "active", expiresAt: NOW + 3600_000 }, {}), single],
      NOW,
    );
    const lines = reply.text.split("\n");
    expect(lines[1]).toBe(`• Request \`${REQUEST}\`, 2 open parts:`);
    expect(lines[2]).toMatch(/^ {4}◦ `part0aaa` .*active until/);
    expect(lines[3]).toMatch(/^ {4}◦ `part1aaa` .*pending, 0 of 1 approval/);
    expect(lines[4]).toMatch(/^• `single22`/);
  });
});
