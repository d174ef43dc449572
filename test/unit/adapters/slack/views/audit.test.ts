import { describe, expect, it } from "vitest";
import { auditLine } from "../../../../../src/adapters/slack/views/audit.js";
import { aGrant, anAuditEvent } from "../../../../support/grant-builder.js";

describe("audit line", () => {
  it("names the grant, the event, the actor and the reason", () => {
    const line = auditLine(
      aGrant({ id: "tstaaaa2" }),
      anAuditEvent({ type: "denied", actor: "U0ADMIN", reason: "no" }),
    );
    expect(line.text).toContain("`tstaaaa2` *denied* by <@U0ADMIN>");
    expect(line.text).toContain(": no");
  });
});
