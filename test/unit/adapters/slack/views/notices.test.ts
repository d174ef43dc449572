import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../../../../src/adapters/slack/action-ids.js";
import { portalLink, requesterNotice } from "../../../../../src/adapters/slack/views/notices.js";
import type { RequesterNotice } from "../../../../../src/app/ports.js";
import { exampleConfig } from "../../../../support/example-config.js";
import { aGrant } from "../../../../support/grant-builder.js";
import { actionsOf, GRANT_NOTICES } from "../../../../support/views.js";

const NOW = Date.UTC(2026, 10, 27, 12, 30);
const HOUR = 3600_000;

describe("requester notices", () => {
  const config = exampleConfig();

  const berlin = { slackId: "U0REQUESTER", tz: "Europe/Berlin" };

  it("links a granted access to the portal console for the account and permission set", () => {
    const grant = aGrant({ status: "active", expiresAt: NOW + 4 * HOUR });
    const link = actionsOf(requesterNotice(grant, "granted", config, berlin, NOW)).find(
      (element) => element.action_id === ACTIONS.portalLink,
    );
    expect(link?.url).toBe(
      "https://acme.awsapps.com/start/#/console?account_id=222222222222&role_name=ReadOnly",
    );
  });

  it("leaves the portal link out when no portal URL is configured", () => {
    const grant = aGrant({ status: "active", expiresAt: NOW + 4 * HOUR });
    const bare = exampleConfig({ identityCenter: {} });
    expect(portalLink(grant, bare)).toBeUndefined();
    expect(actionsOf(requesterNotice(grant, "granted", bare, berlin, NOW)).map((e) => e.action_id)).toEqual([
      ACTIONS.revokeNow,
    ]);
  });

  it("shows the expiry in the requester's own time zone", () => {
    const grant = aGrant({ status: "active", expiresAt: NOW + 4 * HOUR });
    expect(requesterNotice(grant, "granted", config, berlin, NOW).text).toContain("until 17:30 CET (in 4h)");
    const newYork = { slackId: "U0REQUESTER", tz: "America/New_York" };
    expect(requesterNotice(grant, "granted", config, newYork, NOW).text).toContain("until 11:30 EST (in 4h)");
  });

  it("offers a Revoke now button carrying the grant id", () => {
    const grant = aGrant({ id: "tstaaaa2", status: "active", expiresAt: NOW + HOUR });
    const revoke = actionsOf(requesterNotice(grant, "granted", config, berlin, NOW)).find(
      (element) => element.action_id === ACTIONS.revokeNow,
    );
    expect(revoke?.value).toBe("tstaaaa2");
  });

  it("passes on the approver's reason for a denial", () => {
    const grant = aGrant({ status: "denied", decidedBy: "U0ADMIN", outcomeReason: "use staging" });
    const text = requesterNotice(grant, "denied", config, berlin, NOW).text;
    expect(text).toContain("denied by <@U0ADMIN>");
    expect(text).toContain(">use staging");
  });

  it("passes on Identity Center's reason for a failure", () => {
    const grant = aGrant({ status: "failed", outcomeReason: "permission set not provisioned" });
    expect(requesterNotice(grant, "failed", config, berlin, NOW).text).toContain(
      "permission set not provisioned",
    );
  });

  it.each<RequesterNotice>(GRANT_NOTICES)("puts the grant id in backticks for %s", (notice) => {
    const grant = aGrant({ id: "tstaaaa2", status: "active", expiresAt: NOW + HOUR });
    expect(requesterNotice(grant, notice, config, berlin, NOW).text).toContain("`tstaaaa2`");
  });
});
