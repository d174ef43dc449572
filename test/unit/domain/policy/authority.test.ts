import { describe, expect, it } from "vitest";
import type { Rule } from "../../../../src/domain/config.js";
import { type Actor, checkExtension, mayApprove, mayRevoke } from "../../../../src/domain/policy.js";
import {
  admin,
  engineer,
  HOUR,
  prodAdmin,
  rule,
  selfService,
  stranger,
} from "../../../support/policy-fixtures.js";

describe("mayApprove", () => {
  const requester = { slackId: "U0ENG", email: "eng@example.com" };
  const lead: Actor = { slackId: "U0LEAD", email: "Security-Lead@example.com", groups: [] };
  const twoNeeded = rule({ name: "two", approvalsRequired: 3 });

  it.each<[string, Rule, Actor, string[], string | undefined]>([
    ["a member of an approver group (any case)", prodAdmin, admin, [], undefined],
    ["a listed approver email (any case)", prodAdmin, lead, [], undefined],
    ["a second distinct approver", twoNeeded, admin, ["U0OTHER"], undefined],
    [
      "the requester when the rule allows self-approval",
      rule({ name: "self", allowSelfApproval: true }),
      { ...admin, slackId: "U0ENG" },
      [],
      undefined,
    ],
    [
      "someone who is not an approver",
      prodAdmin,
      stranger,
      [],
      "You are not an approver for rule `prod-admin`: its approvers are members of `Organization Administrators` or `security-lead@example.com`.",
    ],
    [
      "anyone on an autoApprove rule without approvers",
      selfService,
      admin,
      [],
      "Rule `staging-self-service` is approved automatically: nobody approves its requests.",
    ],
    [
      "the requester by Slack id",
      prodAdmin,
      { ...admin, slackId: "U0ENG" },
      [],
      "You cannot approve your own request: rule `prod-admin` needs someone else to approve it.",
    ],
    [
      "the requester by email in another case",
      prodAdmin,
      { ...admin, email: "ENG@example.com" },
      [],
      "You cannot approve your own request: rule `prod-admin` needs someone else to approve it.",
    ],
    [
      "a second click by the same approver",
      twoNeeded,
      admin,
      ["U0ADM", "U0ADM"],
      "You have already approved; 2 more approvals needed.",
    ],
    [
      "a repeat approver once one more is needed",
      twoNeeded,
      admin,
      ["U0ADM", "U0OTHER"],
      "You have already approved; 1 more approval needed.",
    ],
  ])("for %s", (_case, theRule, approver, already, reason) => {
    const result = mayApprove(theRule, requester, approver, already);
    expect(result).toEqual(reason === undefined ? { ok: true } : { ok: false, reason });
  });
});

describe("mayRevoke", () => {
  const requester = { slackId: "U0ENG" };

  it.each<[string, Rule | undefined, Actor, boolean]>([
    ["lets the requester revoke", prodAdmin, engineer, true],
    ["lets the requester revoke after the rule left the config", undefined, engineer, true],
    ["lets an approver of the rule revoke", prodAdmin, admin, true],
    ["refuses someone else", prodAdmin, stranger, false],
    ["refuses an approver once the rule left the config", undefined, admin, false],
    ["refuses everyone else on a rule without approvers", selfService, admin, false],
  ])("%s", (_case, theRule, actor, ok) => {
    expect(mayRevoke(theRule, requester, actor).ok).toBe(ok);
  });

  it("says who may revoke", () => {
    expect(mayRevoke(prodAdmin, requester, stranger)).toEqual({
      ok: false,
      reason:
        "Only the requester or an approver of rule `prod-admin` (members of `Organization Administrators` or `security-lead@example.com`) may revoke this grant.",
    });
  });
});

describe("checkExtension", () => {
  const at = Date.UTC(2025, 0, 1, 9);
  const active = (hours: number) => ({
    activatedAt: at,
    expiresAt: at + hours * HOUR * 1000,
    durationSeconds: hours * HOUR,
  });

  it.each<[string, Parameters<typeof checkExtension>[1], number, ReturnType<typeof checkExtension>]>([
    [
      "extends within the maximum, counting from activation",
      active(1),
      2 * HOUR,
      { ok: true, newDurationSeconds: 3 * HOUR },
    ],
    ["extends up to exactly the maximum", active(1), 3 * HOUR, { ok: true, newDurationSeconds: 4 * HOUR }],
    [
      "counts a previous extension",
      { ...active(3), durationSeconds: HOUR },
      HOUR,
      { ok: true, newDurationSeconds: 4 * HOUR },
    ],
    [
      "uses the requested duration before activation",
      { durationSeconds: HOUR },
      HOUR,
      { ok: true, newDurationSeconds: 2 * HOUR },
    ],
    [
      "refuses beyond the maximum, saying what is left",
      active(3),
      2 * HOUR,
      {
        ok: false,
        reason:
          "Extending by `2h` would make `5h` from activation, but rule `prod-admin` allows at most `4h`; `1h` is left to extend.",
      },
    ],
    [
      "refuses at the maximum, saying nothing is left",
      active(4),
      15 * 60,
      {
        ok: false,
        reason:
          "Extending by `15m` would make `4h15m` from activation, but rule `prod-admin` allows at most `4h`; nothing is left to extend.",
      },
    ],
    [
      "refuses a zero extension",
      active(1),
      0,
      { ok: false, reason: "An extension must be longer than zero." },
    ],
  ])("%s", (_case, grant, add, expected) => {
    expect(checkExtension(prodAdmin, grant, add)).toEqual(expected);
  });
});
