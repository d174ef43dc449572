import { describe, expect, it } from "vitest";
import type { AccessConfig } from "../../../../src/domain/config.js";
import type { Approval, Grant } from "../../../../src/domain/grant.js";
import {
  type Actor,
  decideParts,
  mayDeny,
  type PartsAsk,
  planApproval,
} from "../../../../src/domain/policy.js";
import { aGrant } from "../../../support/grant-builder.js";
import {
  admin,
  config,
  engineer,
  HOUR,
  lead,
  mixed,
  prodAdmin,
  rule,
  selfService,
  stagingByLead,
  stranger,
} from "../../../support/policy-fixtures.js";

const twoPeople = rule({
  name: "two-people",
  accounts: ["staging"],
  approvalsRequired: 2,
  channel: "C0PRODADMIN",
});

describe("decideParts", () => {
  it.each<[string, AccessConfig, PartsAsk, object]>([
    [
      "one part, as decideRequest decides it",
      mixed,
      { accounts: ["prod"], permissionSets: ["ReadOnly"] },
      { autoApprove: false, channel: "C0PRODADMIN", durationSeconds: HOUR },
    ],
    [
      "every account with every permission set, accounts first",
      mixed,
      { accounts: ["prod"], permissionSets: ["ReadOnly", "AdministratorAccess"], durationSeconds: 2 * HOUR },
      {
        parts: [{ permissionSet: { name: "ReadOnly" } }, { permissionSet: { name: "AdministratorAccess" } }],
      },
    ],
    [
      "parts auto-approved and approved by others: the channel of those that need approval",
      mixed,
      { accounts: ["staging", "prod"], permissionSets: ["ReadOnly"] },
      { autoApprove: false, channel: "C0PRODADMIN", parts: [{ autoApprove: true }, { autoApprove: false }] },
    ],
    [
      "every part auto-approved",
      config([selfService]),
      { accounts: ["staging"], permissionSets: ["ReadOnly"] },
      { autoApprove: true, channel: "C0APPROVALS" },
    ],
    [
      "the default duration cut to the smallest maximum",
      config([prodAdmin, stagingByLead], { defaults: { ...mixed.defaults, durationSeconds: 3 * HOUR } }),
      { accounts: ["prod", "staging"], permissionSets: ["ReadOnly"] },
      { durationSeconds: 2 * HOUR, parts: [{ durationSeconds: 2 * HOUR }, { durationSeconds: 2 * HOUR }] },
    ],
  ])("approves %s", (_what, cfg, ask, expected) => {
    expect(decideParts(cfg, engineer, ask)).toMatchObject({ ok: true, ...expected });
  });

  it.each<[string, AccessConfig, PartsAsk, string, string]>([
    [
      "no part at all",
      mixed,
      { accounts: [], permissionSets: ["ReadOnly"] },
      "no-parts",
      "Name at least one account",
    ],
    [
      "eleven parts",
      mixed,
      { accounts: ["prod", "staging"], permissionSets: Array.from({ length: 6 }, (_, i) => `s${i}`) },
      "too-many-parts",
      "At most 10 parts in one request: this one asks for 12",
    ],
    [
      "the management account among others",
      mixed,
      { accounts: ["prod", "mgmt"], permissionSets: ["ReadOnly"] },
      "management-account",
      "`ReadOnly` in `mgmt`: `mgmt` is the management account",
    ],
    [
      "a part no rule lets the requester have",
      config([prodAdmin]),
      { accounts: ["prod", "staging"], permissionSets: ["ReadOnly"] },
      "no-rule",
      "`ReadOnly` in `staging`: No rule allows requesting",
    ],
    [
      "a duration above one part's maximum",
      mixed,
      { accounts: ["prod", "staging"], permissionSets: ["AdministratorAccess"], durationSeconds: 3 * HOUR },
      "too-long",
      "`AdministratorAccess` in `staging`: `3h` is longer than the `2h` maximum",
    ],
    [
      "one account named by alias and by id",
      mixed,
      { accounts: ["prod", "222222222222"], permissionSets: ["ReadOnly"] },
      "duplicate-part",
      "is asked for twice",
    ],
    [
      "parts approved in different channels",
      config([prodAdmin, rule({ name: "anything" })]),
      { accounts: ["prod", "staging"], permissionSets: ["ReadOnly"] },
      "different-channels",
      "`ReadOnly` in `prod` in `C0PRODADMIN`, `ReadOnly` in `staging` in `C0APPROVALS`",
    ],
  ])("refuses %s", (_what, cfg, ask, code, message) => {
    expect(decideParts(cfg, engineer, ask)).toMatchObject({
      ok: false,
      code,
      message: expect.stringContaining(message),
    });
  });
});

/** Pending parts of one request under `mixed`'s rules, approvals given. */
function parts(
  ...specs: Array<[rule: string, account: string, approvals?: Approval[], required?: number]>
): Grant[] {
  return specs.map(([name, alias, approvals = [], required = 1], i) =>
    aGrant({
      id: `part${i}aa`,
      rule: name,
      requestId: "r-k7m2x9qa",
      account: { id: `${i}`, alias },
      requester: { slackId: engineer.slackId, email: engineer.email, userId: "u-eng" },
      approvals,
      approvalsRequired: required,
    }),
  );
}
const by = (actor: Actor): Approval => ({ slackId: actor.slackId, email: actor.email, at: 0 });
const withTwo = config([prodAdmin, twoPeople]);
const admin2: Actor = {
  slackId: "U0ADM2",
  email: "admin2@example.com",
  groups: ["Organization Administrators"],
};

describe("planApproval", () => {
  it.each<[string, AccessConfig, Grant[], Actor, object]>([
    [
      "approves every part the approver may approve and completes the request",
      mixed,
      parts(["prod-admin", "prod"], ["prod-admin", "prod"]),
      admin,
      { ok: true, approve: ["part0aa", "part1aa"], complete: true },
    ],
    [
      "approves only the parts of the approver's rules, leaving the request incomplete",
      mixed,
      parts(["prod-admin", "prod"], ["staging-lead", "staging"]),
      admin,
      { ok: true, approve: ["part0aa"], complete: false },
    ],
    [
      "completes a request whose other parts already have their approvals",
      mixed,
      parts(["prod-admin", "prod", [by(admin)]], ["staging-lead", "staging"]),
      lead,
      { ok: true, approve: ["part1aa"], complete: true },
    ],
    [
      "leaves out parts that need no approval (auto-approved rules)",
      mixed,
      parts(["staging-self-service", "staging", [], 0], ["prod-admin", "prod"]),
      admin,
      { ok: true, approve: ["part1aa"], complete: true },
    ],
    [
      "counts one more distinct person toward a quorum of two",
      withTwo,
      parts(["two-people", "staging", [by(admin)], 2]),
      admin2,
      { ok: true, approve: ["part0aa"], complete: true },
    ],
  ])("%s", (_what, cfg, pending, actor, expected) => {
    expect(planApproval(cfg, pending, actor)).toEqual(expected);
  });

  it.each<[string, AccessConfig, Grant[], Actor, string]>([
    [
      "someone who approves no part, saying why for each",
      mixed,
      parts(["prod-admin", "prod"], ["staging-lead", "staging"]),
      stranger,
      "`ReadOnly` in `prod`: You are not an approver for rule `prod-admin`",
    ],
    [
      "an approver whose parts already have their approvals",
      mixed,
      parts(["prod-admin", "prod", [by(admin)]], ["staging-lead", "staging"]),
      admin2,
      "`ReadOnly` in `staging`: You are not an approver for rule `staging-lead`",
    ],
    [
      "the same person twice toward a quorum of two",
      withTwo,
      parts(["two-people", "staging", [by(admin)], 2]),
      { ...admin, slackId: "U0OTHERACCOUNT" },
      "You have already approved; 1 more approval needed.",
    ],
    [
      "the requester approving their own request",
      mixed,
      parts(["prod-admin", "prod"]),
      { ...admin, slackId: engineer.slackId },
      "You cannot approve your own request",
    ],
  ])("refuses %s", (_what, cfg, pending, actor, reason) => {
    expect(planApproval(cfg, pending, actor)).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });
});

describe("mayDeny", () => {
  it.each<[string, Actor, boolean]>([
    ["an approver of one part", lead, true],
    ["an approver of another part", admin, true],
    ["someone who approves no part", stranger, false],
  ])("answers for %s", (_what, actor, ok) => {
    const pending = parts(["prod-admin", "prod"], ["staging-lead", "staging"]);
    expect(mayDeny(mixed, pending, actor).ok).toBe(ok);
  });
});
