import { describe, expect, it } from "vitest";
import type { Grant } from "../../../../src/domain/grant.js";
import { type ExtensionPlan, mayDecideExtension, planExtension } from "../../../../src/domain/policy.js";
import { aGrant } from "../../../support/grant-builder.js";
import {
  admin,
  engineer,
  HOUR,
  prodAdmin,
  rule,
  selfService,
  stranger,
} from "../../../support/policy-fixtures.js";

const activatedAt = Date.UTC(2030, 0, 15, 10, 0, 0);
const requester = { slackId: engineer.slackId, email: engineer.email, userId: "user-eng" };
const active = (overrides: Partial<Grant> = {}): Grant =>
  aGrant({
    id: "k7m2x9qa",
    status: "active",
    requester,
    durationSeconds: HOUR,
    activatedAt,
    expiresAt: activatedAt + HOUR * 1000,
    ...overrides,
  });
const waiting = (addSeconds: number): Partial<Grant> => ({
  extension: {
    id: "e1",
    status: "pending",
    by: engineer.slackId,
    addSeconds,
    required: 2,
    approvals: [],
    requestedAt: activatedAt,
  },
});
const twoApprovers = rule({ ...prodAdmin, name: "prod-two", approvalsRequired: 2 });
const engineersOnly = rule({
  ...prodAdmin,
  name: "prod-engineers",
  requesters: { groups: ["Engineers"], emails: [] },
});

describe("planExtension", () => {
  it.each<[string, Parameters<typeof planExtension>, ExtensionPlan["kind"]]>([
    [
      "extends at once for the requester of a self-service rule",
      [selfService, active(), engineer, HOUR],
      "now",
    ],
    [
      "refuses anyone but the requester on a self-service rule",
      [selfService, active(), admin, HOUR],
      "not-authorised",
    ],
    ["asks the approvers when the requester extends", [prodAdmin, active(), engineer, HOUR], "ask"],
    [
      "extends at once when an approver extends under a rule of one approval",
      [prodAdmin, active(), admin, HOUR],
      "now",
    ],
    [
      "asks for more approvals when an approver extends under a rule of two",
      [twoApprovers, active(), admin, HOUR],
      "ask",
    ],
    [
      "refuses someone who is neither requester nor approver",
      [prodAdmin, active(), stranger, HOUR],
      "not-authorised",
    ],
    ["refuses an extension past the rule's maximum", [prodAdmin, active(), engineer, 4 * HOUR], "refused"],
    [
      "counts an approver's extend as approval of the same waiting one",
      [twoApprovers, active(waiting(HOUR)), admin, HOUR],
      "approve-waiting",
    ],
    [
      "refuses another extension while one waits",
      [twoApprovers, active(waiting(HOUR)), admin, 2 * HOUR],
      "refused",
    ],
  ])("%s", (_, args, kind) => {
    expect(planExtension(...args).kind).toBe(kind);
  });

  it("refuses a requester who has left the rule's requesters, saying nothing changed", () => {
    const outsider = { ...stranger, slackId: engineer.slackId };
    expect(planExtension(engineersOnly, active(), outsider, HOUR)).toEqual({
      kind: "not-authorised",
      reason: "you are no longer among those rule `prod-engineers` lets request (members of `Engineers`)",
      hint: "; nothing was changed.",
    });
  });

  it("says so when an approver asks to extend and the approval counts", () => {
    expect(planExtension(twoApprovers, active(), admin, HOUR)).toEqual({ kind: "ask", withApproval: true });
    expect(planExtension(twoApprovers, active(), engineer, HOUR)).toEqual({
      kind: "ask",
      withApproval: false,
    });
  });
});

describe("mayDecideExtension", () => {
  const asked = { by: engineer.slackId, approvals: [] };

  it.each<
    [
      string,
      Parameters<typeof mayDecideExtension>[3],
      "approve" | "deny",
      ReturnType<typeof mayDecideExtension>["ok"],
    ]
  >([
    ["lets an approver approve", admin, "approve", true],
    ["lets the one who asked withdraw with Deny", engineer, "deny", true],
    ["refuses the one who asked an approval of their own", engineer, "approve", false],
    ["refuses someone who is not an approver", stranger, "deny", false],
  ])("%s", (_, actor, decision, ok) => {
    expect(mayDecideExtension(prodAdmin, active(), asked, actor, decision).ok).toBe(ok);
  });
});
