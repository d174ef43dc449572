import { describe, expect, it } from "vitest";
import { transition } from "../../../src/domain/lifecycle.js";
import { aGrant } from "../../support/grant-builder.js";

const NOW = Date.UTC(2030, 0, 15, 10, 0, 0);
const settings = { reminderBeforeSeconds: 600 };
const approval = { slackId: "U0APPROVER", email: "boss@example.com", at: NOW };
const START = NOW + 3 * 3600_000;

describe("transition for requests of several parts and scheduled starts", () => {
  it("keeps a part pending at its quorum while the request waits for its other parts", () => {
    const { grant, audit } = transition(
      aGrant(),
      { type: "approve", by: approval, wait: true },
      NOW,
      settings,
    );
    expect(grant).toMatchObject({ status: "pending", approvals: [approval] });
    expect(audit).toMatchObject({ type: "approved", actor: "U0APPROVER", status: "pending" });
  });

  it("releases a part at quorum when the request has every approval, naming who completed it", () => {
    const waiting = aGrant({ approvals: [approval], requestId: "r-k7m2x9qa" });
    const { grant, audit } = transition(
      waiting,
      { type: "release", by: "U0OTHER", requestId: "r-k7m2x9qa" },
      NOW,
      settings,
    );
    expect(grant).toMatchObject({ status: "provisioning", decidedBy: "U0OTHER", decidedAt: NOW, dueAt: NOW });
    expect(audit).toMatchObject({
      type: "approved",
      actor: "U0OTHER",
      reason: "every part of request r-k7m2x9qa has its approvals",
      detail: { requestId: "r-k7m2x9qa", approvals: 1, required: 1 },
    });
  });

  it.each([
    ["an approval", { type: "approve" as const, by: approval }],
    ["an automatic approval", { type: "auto-approve" as const }],
    ["a release", { type: "release" as const, by: "U0APPROVER", requestId: "r-k7m2x9qa" }],
  ])("makes a grant approved by %s before its start due at the start", (_what, event) => {
    const { grant } = transition(aGrant({ startsAt: START }), event, NOW, settings);
    expect(grant).toMatchObject({ status: "provisioning", dueAt: START });
  });

  it("makes a grant approved after its start due at once", () => {
    const { grant } = transition(
      aGrant({ startsAt: NOW - 60_000 }),
      { type: "approve", by: approval },
      NOW,
      settings,
    );
    expect(grant).toMatchObject({ status: "provisioning", dueAt: NOW });
  });

  it("counts the duration from activation, not from the start", () => {
    const approved = aGrant({ status: "provisioning", startsAt: START, durationSeconds: 7200 });
    const late = START + 90_000;
    const { grant } = transition(approved, { type: "activate", preExisting: false }, late, settings);
    expect(grant).toMatchObject({ activatedAt: late, expiresAt: late + 7200_000 });
  });
});
