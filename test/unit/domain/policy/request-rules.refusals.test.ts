import { describe, expect, it } from "vitest";
import type { AccessConfig } from "../../../../src/domain/config.js";
import {
  type Actor,
  decideRequest,
  type OnePartAsk,
  offersFor,
  type Refused,
} from "../../../../src/domain/policy.js";
import {
  admin,
  config,
  engineer,
  example,
  HOUR,
  refused,
  rule,
  selfService,
  stranger,
} from "../../../support/policy-fixtures.js";

describe("decideRequest", () => {
  it.each<[string, AccessConfig, Actor, OnePartAsk, Refused["code"], string, string | undefined]>([
    [
      "the management account by alias",
      example,
      admin,
      { account: "mgmt", permissionSet: "ReadOnly" },
      "management-account",
      "`mgmt` is the management account: Identity Center cannot assign access in the organisation's management account from a delegated administrator.",
      undefined,
    ],
    [
      "the management account by id",
      example,
      admin,
      { account: "111111111111", permissionSet: "ReadOnly" },
      "management-account",
      "Identity Center cannot assign access in the organisation's management account",
      undefined,
    ],
    [
      "the management account under a * rule",
      config([rule({ name: "all" })]),
      admin,
      { account: "MGMT", permissionSet: "ReadOnly" },
      "management-account",
      "from a delegated administrator",
      undefined,
    ],
    [
      "the management account by id when it has no alias",
      config([rule({ name: "all" })], { accounts: { prod: { id: "222222222222" } } }),
      admin,
      { account: "111111111111", permissionSet: "ReadOnly" },
      "management-account",
      "is the management account",
      undefined,
    ],
    [
      "an unknown account close to a known one",
      example,
      engineer,
      { account: "stagin", permissionSet: "ReadOnly" },
      "unknown-account",
      "There is no account `stagin` (did you mean `staging`?).",
      undefined,
    ],
    [
      "an unknown account",
      example,
      engineer,
      { account: "zzz", permissionSet: "ReadOnly" },
      "unknown-account",
      "There is no account `zzz` (known accounts: `mgmt`, `prod`, `staging`).",
      undefined,
    ],
    [
      "an unknown 12-digit id",
      example,
      engineer,
      { account: "999999999999", permissionSet: "ReadOnly" },
      "unknown-account",
      "There is no account `999999999999`",
      undefined,
    ],
    [
      "an unknown permission set",
      example,
      engineer,
      { account: "staging", permissionSet: "ReadOnlyy" },
      "unknown-permission-set",
      "There is no permission set `ReadOnlyy` (did you mean `ReadOnly`?).",
      undefined,
    ],
    [
      "access no rule covers",
      example,
      engineer,
      { account: "staging", permissionSet: "AdministratorAccess" },
      "no-rule",
      "No rule allows requesting `AdministratorAccess` in `staging`.",
      undefined,
    ],
    [
      "a requester in no listed group",
      example,
      stranger,
      { account: "staging", permissionSet: "ReadOnly" },
      "not-eligible",
      "You may not request `ReadOnly` in `staging`: rule `staging-self-service` allows it only for members of `Engineers`.",
      "staging-self-service",
    ],
    [
      "a requester in none of several rules",
      config([
        rule({ name: "a", requesters: { groups: ["Ops"], emails: [] } }),
        rule({ name: "b", requesters: { groups: [], emails: ["lead@example.com"] } }),
      ]),
      engineer,
      { account: "prod", permissionSet: "ReadOnly" },
      "not-eligible",
      "rules `a`, `b` allow it only for members of `Ops` or `lead@example.com`.",
      "a",
    ],
    [
      "a duration above the rule's maximum",
      example,
      stranger,
      { account: "prod", permissionSet: "ReadOnly", durationSeconds: 5 * HOUR },
      "too-long",
      "`5h` is longer than the `4h` maximum for `ReadOnly` in `prod` (rule `prod-admin`). Ask for `4h` or less.",
      "prod-admin",
    ],
    [
      "a duration below the minimum",
      example,
      stranger,
      { account: "prod", permissionSet: "ReadOnly", durationSeconds: 5 * 60 },
      "too-short",
      "`5m` is shorter than the `15m` minimum. Ask for `15m` or more.",
      "prod-admin",
    ],
  ])("refuses %s", (_case, cfg, requester, ask, code, message, ruleName) => {
    const result = refused(decideRequest(cfg, requester, ask));
    expect(result.code).toBe(code);
    expect(result.message).toContain(message);
    expect(result.rule).toBe(ruleName);
    expect(result.alternatives).toEqual(offersFor(cfg, requester));
  });

  it("says in a refusal what the requester may ask for instead", () => {
    const result = refused(
      decideRequest(example, engineer, { account: "staging", permissionSet: "AdministratorAccess" }),
    );
    expect(result.message).toContain(
      "You may request: `prod` `ReadOnly`, `AdministratorAccess` (up to `4h`, with approval); `staging` `ReadOnly` (up to `8h`, granted at once).",
    );
  });
});

describe("offersFor", () => {
  it("lists what each person may request, never the management account", () => {
    expect(offersFor(example, engineer)).toEqual([
      {
        account: "prod",
        permissionSets: ["ReadOnly", "AdministratorAccess"],
        maxDurationSeconds: 4 * HOUR,
        autoApprove: false,
      },
      { account: "staging", permissionSets: ["ReadOnly"], maxDurationSeconds: 8 * HOUR, autoApprove: true },
    ]);
    expect(offersFor(config([rule({ name: "all" })]), stranger).map((offer) => offer.account)).toEqual([
      "prod",
      "staging",
    ]);
  });

  it("splits an account's permission sets by the rule that decides each", () => {
    const cfg = config([
      rule({ name: "read", permissionSets: ["ReadOnly"], autoApprove: true, maxDurationSeconds: 8 * HOUR }),
      rule({ name: "rest" }),
    ]);
    expect(offersFor(cfg, stranger).filter((offer) => offer.account === "prod")).toEqual([
      { account: "prod", permissionSets: ["ReadOnly"], maxDurationSeconds: 8 * HOUR, autoApprove: true },
      {
        account: "prod",
        permissionSets: ["AdministratorAccess"],
        maxDurationSeconds: 4 * HOUR,
        autoApprove: false,
      },
    ]);
  });

  it("offers nothing to someone no rule lets in", () => {
    expect(offersFor(config([selfService]), stranger)).toEqual([]);
  });
});
