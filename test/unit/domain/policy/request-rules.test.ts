import { describe, expect, it } from "vitest";
import type { AccessConfig } from "../../../../src/domain/config.js";
import { type Actor, channelFor, decideRequest, type OnePartAsk } from "../../../../src/domain/policy.js";
import { ADMIN } from "../../../support/example-config.js";
import {
  approved,
  config,
  engineer,
  example,
  HOUR,
  rule,
  stranger,
} from "../../../support/policy-fixtures.js";

describe("decideRequest", () => {
  it.each<[string, AccessConfig, Actor, OnePartAsk, string]>([
    [
      "an alias in any case",
      example,
      engineer,
      { account: "STAGING", permissionSet: "readonly" },
      "staging-self-service",
    ],
    [
      "a 12-digit account id",
      example,
      engineer,
      { account: "333333333333", permissionSet: "ReadOnly" },
      "staging-self-service",
    ],
    [
      "a * account rule",
      config([rule({ name: "all", permissionSets: ["ReadOnly"] })]),
      stranger,
      { account: "prod", permissionSet: "ReadOnly" },
      "all",
    ],
    [
      "a * permission set rule",
      config([rule({ name: "prod-any", accounts: ["prod"] })]),
      stranger,
      { account: "prod", permissionSet: "AdministratorAccess" },
      "prod-any",
    ],
    [
      "omitted requesters (anyone)",
      example,
      stranger,
      { account: "prod", permissionSet: "ReadOnly" },
      "prod-admin",
    ],
    [
      "a requester group in another case",
      config([rule({ name: "g", requesters: { groups: ["ENGINEERS"], emails: [] } })]),
      engineer,
      { account: "prod", permissionSet: "ReadOnly" },
      "g",
    ],
    [
      "a requester email in another case",
      config([rule({ name: "e", requesters: { groups: [], emails: ["Eng@Example.com"] } })]),
      engineer,
      { account: "prod", permissionSet: "ReadOnly" },
      "e",
    ],
    [
      "the first matching rule",
      config([rule({ name: "first", accounts: ["prod"] }), rule({ name: "second" })]),
      stranger,
      { account: "prod", permissionSet: "ReadOnly" },
      "first",
    ],
    [
      "a later rule when the requester is not in the first",
      config([
        rule({ name: "admins-only", requesters: { groups: ["Admins"], emails: [] } }),
        rule({ name: "anyone" }),
      ]),
      engineer,
      { account: "prod", permissionSet: "ReadOnly" },
      "anyone",
    ],
  ])("decides by %s", (_case, cfg, requester, ask, ruleName) => {
    expect(approved(decideRequest(cfg, requester, ask)).rule.name).toBe(ruleName);
  });

  it("returns what the matching rule says about approval, routing and the account", () => {
    const result = approved(
      decideRequest(example, stranger, {
        account: "PROD",
        permissionSet: "administratoraccess",
        durationSeconds: 2 * HOUR,
      }),
    );
    expect(result).toMatchObject({
      account: { alias: "prod", id: "222222222222", name: "Production" },
      permissionSet: { name: "AdministratorAccess", arn: ADMIN },
      durationSeconds: 2 * HOUR,
      autoApprove: false,
      approvalsRequired: 1,
      allowSelfApproval: false,
    });
    expect(channelFor(example, result.rule)).toBe("C0PRODADMIN");
    expect(result.explanation).toBe(
      "Rule `prod-admin` allows `AdministratorAccess` in `prod` for `2h`. Needs 1 approval from members of `Organization Administrators` or `security-lead@example.com`, not counting the requester.",
    );
  });

  it("grants autoApprove rules at once and posts them to the default channel", () => {
    const result = approved(
      decideRequest(example, engineer, { account: "staging", permissionSet: "ReadOnly" }),
    );
    expect(result).toMatchObject({ autoApprove: true });
    expect(channelFor(example, result.rule)).toBe("C0APPROVALS");
    expect(result.explanation).toContain("Granted at once, without approval.");
  });

  it("carries approvalsRequired and allowSelfApproval from the rule", () => {
    const cfg = config([rule({ name: "two", approvalsRequired: 2, allowSelfApproval: true })]);
    const result = approved(decideRequest(cfg, stranger, { account: "prod", permissionSet: "ReadOnly" }));
    expect(result).toMatchObject({ approvalsRequired: 2, allowSelfApproval: true });
    expect(result.explanation).toContain("Needs 2 approvals from members of `Organization Administrators`.");
  });

  it("uses the default duration when none is asked for", () => {
    const result = approved(
      decideRequest(example, engineer, { account: "staging", permissionSet: "ReadOnly" }),
    );
    expect(result).toMatchObject({ durationSeconds: HOUR });
    expect(result.explanation).toContain("for `1h` (no duration given: the default)");
  });

  it("caps the default duration at the rule's maximum and says so", () => {
    const cfg = config([rule({ name: "short", maxDurationSeconds: 30 * 60 })]);
    const result = approved(decideRequest(cfg, stranger, { account: "prod", permissionSet: "ReadOnly" }));
    expect(result).toMatchObject({ durationSeconds: 30 * 60 });
    expect(result.explanation).toContain(
      "for `30m` (no duration given: the default `1h` is longer than the rule's maximum",
    );
  });

  it("accepts exactly the rule's maximum and exactly the minimum", () => {
    expect(
      decideRequest(example, stranger, {
        account: "prod",
        permissionSet: "ReadOnly",
        durationSeconds: 4 * HOUR,
      }).ok,
    ).toBe(true);
    expect(
      decideRequest(example, stranger, {
        account: "prod",
        permissionSet: "ReadOnly",
        durationSeconds: 15 * 60,
      }).ok,
    ).toBe(true);
  });
});
