import { describe, expect, it } from "vitest";
import type { AccessConfig, Rule } from "../../src/domain/config.js";
import {
  type Actor,
  type Approved,
  type Ask,
  channelFor,
  checkExtension,
  decideRequest,
  findRule,
  groupNamesIn,
  mayApprove,
  mayRevoke,
  offersFor,
  type Refused,
  resolveAccount,
  resolvePermissionSet,
} from "../../src/domain/policy.js";

const HOUR = 3600;
const READ_ONLY = "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-1111111111111111";
const ADMIN = "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-2222222222222222";

function rule(overrides: Partial<Rule> & { name: string }): Rule {
  return {
    accounts: ["*"],
    permissionSets: ["*"],
    autoApprove: false,
    approvers: { groups: ["Organization Administrators"], emails: [] },
    approvalsRequired: 1,
    allowSelfApproval: false,
    maxDurationSeconds: 4 * HOUR,
    ...overrides,
  };
}

function config(rules: Rule[], overrides: Partial<AccessConfig> = {}): AccessConfig {
  return {
    identityCenter: { managementAccountId: "111111111111" },
    slack: { approvalChannel: "C0APPROVALS" },
    defaults: {
      durationSeconds: HOUR,
      minDurationSeconds: 15 * 60,
      requestTimeoutSeconds: 2 * HOUR,
      reminderBeforeSeconds: 600,
    },
    accounts: {
      mgmt: { id: "111111111111" },
      prod: { id: "222222222222", name: "Production" },
      staging: { id: "333333333333" },
    },
    permissionSets: { ReadOnly: READ_ONLY, AdministratorAccess: ADMIN },
    rules,
    ...overrides,
  };
}

const engineer: Actor = { slackId: "U0ENG", email: "eng@example.com", groups: ["Engineers"] };
const admin: Actor = {
  slackId: "U0ADM",
  email: "admin@example.com",
  groups: ["organization administrators"],
};
const stranger: Actor = { slackId: "U0STR", email: "stranger@example.com", groups: [] };

const selfService = rule({
  name: "staging-self-service",
  accounts: ["staging"],
  permissionSets: ["ReadOnly"],
  requesters: { groups: ["Engineers"], emails: [] },
  autoApprove: true,
  approvers: undefined,
  maxDurationSeconds: 8 * HOUR,
});
const prodAdmin = rule({
  name: "prod-admin",
  accounts: ["prod"],
  permissionSets: ["AdministratorAccess", "ReadOnly"],
  approvers: { groups: ["Organization Administrators"], emails: ["security-lead@example.com"] },
  channel: "C0PRODADMIN",
});
const example = config([selfService, prodAdmin]);

function approved(result: Approved | Refused): Approved {
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result;
}

function refused(result: Approved | Refused): Refused {
  if (result.ok) throw new Error(`approved by ${result.rule.name}`);
  return result;
}

describe("decideRequest", () => {
  it.each<[string, AccessConfig, Actor, Ask, string]>([
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
      durationDefaulted: false,
      autoApprove: false,
      approvalsRequired: 1,
      allowSelfApproval: false,
      channel: "C0PRODADMIN",
    });
    expect(result.explanation).toBe(
      "Rule `prod-admin` allows `AdministratorAccess` in `prod` for `2h`. Needs 1 approval from members of `Organization Administrators` or `security-lead@example.com`, not counting the requester.",
    );
  });

  it("grants autoApprove rules at once and posts them to the default channel", () => {
    const result = approved(
      decideRequest(example, engineer, { account: "staging", permissionSet: "ReadOnly" }),
    );
    expect(result).toMatchObject({ autoApprove: true, channel: "C0APPROVALS" });
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
    expect(result).toMatchObject({ durationSeconds: HOUR, durationDefaulted: true });
    expect(result.explanation).toContain("for `1h` (no duration given: the default)");
  });

  it("caps the default duration at the rule's maximum and says so", () => {
    const cfg = config([rule({ name: "short", maxDurationSeconds: 30 * 60 })]);
    const result = approved(decideRequest(cfg, stranger, { account: "prod", permissionSet: "ReadOnly" }));
    expect(result).toMatchObject({ durationSeconds: 30 * 60, durationDefaulted: true });
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

  it.each<[string, AccessConfig, Actor, Ask, Refused["code"], string, string | undefined]>([
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

describe("look-ups", () => {
  it("resolves accounts by alias in any case or by id, returning the alias as written", () => {
    expect(resolveAccount(example, "Prod")).toEqual({
      alias: "prod",
      id: "222222222222",
      name: "Production",
    });
    expect(resolveAccount(example, "333333333333")).toEqual({ alias: "staging", id: "333333333333" });
    expect(resolveAccount(example, "nope")).toBeUndefined();
  });

  it("resolves permission sets by name in any case", () => {
    expect(resolvePermissionSet(example, "readONLY")).toEqual({ name: "ReadOnly", arn: READ_ONLY });
    expect(resolvePermissionSet(example, "Billing")).toBeUndefined();
  });

  it("finds rules by name", () => {
    expect(findRule(example, "prod-admin")).toBe(prodAdmin);
    expect(findRule(example, "gone")).toBeUndefined();
  });

  it("routes to the rule's channel, else the default approval channel", () => {
    expect(channelFor(example, prodAdmin)).toBe("C0PRODADMIN");
    expect(channelFor(example, selfService)).toBe("C0APPROVALS");
  });

  it("lists every group named in requesters and approvers once, whatever the case", () => {
    const cfg = config([
      selfService,
      prodAdmin,
      rule({
        name: "x",
        requesters: { groups: ["engineers", "Ops"], emails: [] },
        approvers: { groups: ["ORGANIZATION ADMINISTRATORS"], emails: [] },
      }),
    ]);
    expect(groupNamesIn(cfg)).toEqual(["Engineers", "Organization Administrators", "Ops"]);
  });
});
