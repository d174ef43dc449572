import { describe, expect, it } from "vitest";
import { requesterNotice } from "../../../../../src/adapters/slack/views/notices.js";
import { PEOPLE } from "../../../../support/app-harness.js";
import { exampleConfig } from "../../../../support/example-config.js";
import { aGrant } from "../../../../support/grant-builder.js";

const { dev } = PEOPLE;
const NOW = Date.UTC(2026, 10, 27, 12, 0);
const HOUR = 3600_000;

describe("sessions that outlive revocation, in the requester's notices", () => {
  it("says until when open sessions may last, in the reader's time zone", () => {
    const config = exampleConfig();
    const user = { slackId: dev.slackId, tz: "Europe/Berlin" };
    const ended = aGrant({ status: "ended", endedAt: NOW, expiresAt: NOW, activatedAt: NOW - HOUR });
    const text = JSON.stringify(
      requesterNotice(ended, "expired", config, user, NOW, { sessionSeconds: 3600 }).blocks,
    );
    expect(text).toContain("AWS sessions already open may last until 14:00 CET (in 1h)");
    const active = aGrant({ status: "active", activatedAt: NOW, expiresAt: NOW + HOUR });
    const granted = JSON.stringify(
      requesterNotice(active, "granted", config, user, NOW, { sessionSeconds: 7200 }),
    );
    expect(granted).toContain("may last 2h past its end: until 16:00 CET (in 3h) at the latest");
  });

  it("still warns that open sessions outlast access when the session duration cannot be read", () => {
    const revoked = aGrant({ status: "ended", endedAt: NOW, outcomeReason: "done" });
    const text = JSON.stringify(
      requesterNotice(revoked, "revoked", exampleConfig(), { slackId: dev.slackId }, NOW).blocks,
    );
    expect(text).toContain(
      "AWS sessions already open may last until the permission set's session duration runs out",
    );
  });
});
