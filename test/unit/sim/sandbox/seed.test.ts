import { describe, expect, it } from "vitest";
import type { AccessConfig } from "../../../../src/domain/config.js";
import { DEFAULT_INSTANCE } from "../../../../src/sim/identity-center/index.js";
import { exampleRequest, sandboxWorld, slackIdFor } from "../../../../src/sim/sandbox/seed.js";
import { ADMIN, READ_ONLY } from "../../../support/example-config.js";
import { config, example, rule, selfService } from "../../../support/policy-fixtures.js";

describe("sandbox seeding", () => {
  const world = sandboxWorld(example);
  const person = (name: string) => world.people.find((p) => p.name === name);

  it.each<[string, string, string, string[]]>([
    ["dev", "dev@example.com", "U0DEV", ["Engineers"]],
    ["admin", "admin@example.com", "U0ADMIN", ["Organization Administrators"]],
    ["alice", "alice@example.com", "U0ALICE", ["Organization Administrators"]],
    ["bob", "bob@example.com", "U0BOB", ["Engineers"]],
    ["carol", "carol@example.com", "U0CAROL", ["Engineers"]],
    ["security-lead", "security-lead@example.com", "U0SECURITYLEAD", []],
  ])("seeds %s <%s> as Slack user %s in %j", (name, email, slackId, groups) => {
    expect(person(name)).toEqual({ name, email, slackId, groups });
  });

  it("seeds exactly those people, each as an Identity Center user, and the config's groups with their members", () => {
    expect(world.people.map((p) => p.name)).toEqual([
      "dev",
      "admin",
      "alice",
      "bob",
      "carol",
      "security-lead",
    ]);
    expect(world.seed.users).toContainEqual({
      userName: "dev",
      emails: ["dev@example.com"],
      displayName: "dev",
    });
    expect(world.seed.users).toHaveLength(6);
    expect(world.seed.groups?.map((g) => [g.displayName, g.members])).toEqual([
      ["Organization Administrators", ["admin", "alice"]],
      ["Engineers", ["dev", "bob", "carol"]],
    ]);
  });

  it("seeds the config's accounts, permission sets and the default instance", () => {
    expect(world.seed.accounts).toEqual([
      { id: "111111111111", name: "mgmt" },
      { id: "222222222222", name: "Production" },
      { id: "333333333333", name: "staging" },
    ]);
    expect(world.seed.permissionSets).toEqual([
      { name: "ReadOnly", arn: READ_ONLY },
      { name: "AdministratorAccess", arn: ADMIN },
    ]);
    expect(world.seed.instance).toEqual(DEFAULT_INSTANCE);
  });

  it("gives Organization Administrators AdministratorAccess on every account as the untouched baseline", () => {
    const admins = world.seed.groups?.find((g) => g.displayName === "Organization Administrators");
    expect(world.seed.assignments).toEqual(
      ["111111111111", "222222222222", "333333333333"].map((accountId) => ({
        accountId,
        permissionSetArn: ADMIN,
        principalType: "GROUP",
        principalId: admins?.id,
      })),
    );
    expect(world.baseline).toEqual([
      "group Organization Administrators holds AdministratorAccess on every account (never touched by the bot)",
    ]);
  });

  it.each<[string, AccessConfig]>([
    ["no rule names Organization Administrators", config([selfService])],
    [
      "there is no AdministratorAccess permission set",
      { ...example, permissionSets: { ReadOnly: READ_ONLY } },
    ],
  ])("seeds no baseline when %s", (_case, cfg) => {
    const { seed, baseline } = sandboxWorld(cfg);
    expect(seed.assignments).toEqual([]);
    expect(baseline).toEqual([]);
  });

  it("adds the management account when no alias names it, and takes the instance from the config", () => {
    const instance = {
      instanceArn: "arn:aws:sso:::instance/ssoins-0000000000000001",
      identityStoreId: "d-0000000001",
    };
    const { seed } = sandboxWorld(
      config([selfService], {
        identityCenter: { managementAccountId: "999999999999", ...instance },
        accounts: { prod: { id: "222222222222" } },
      }),
    );
    expect(seed.accounts).toEqual([
      { id: "222222222222", name: "prod" },
      { id: "999999999999", name: "Management" },
    ]);
    expect(seed.instance).toEqual(instance);
  });

  it("names members after their group once the demo names run out", () => {
    const groups = ["One", "Two", "Three", "Four", "Five", "Team Six"];
    const cfg = config([
      rule({ name: "all", requesters: { groups, emails: [] }, autoApprove: true, approvers: undefined }),
    ]);
    const people = sandboxWorld(cfg).people;
    expect(people.slice(-2)).toEqual([
      { name: "team-six1", email: "team-six1@example.com", slackId: "U0TEAMSIX1", groups: ["Team Six"] },
      { name: "team-six2", email: "team-six2@example.com", slackId: "U0TEAMSIX2", groups: ["Team Six"] },
    ]);
    expect(people[0]?.groups).toEqual(groups);
  });

  it.each<[string, string[], string]>([
    ["dev", [], "U0DEV"],
    ["security-lead", [], "U0SECURITYLEAD"],
    ["---", [], "U0USER"],
    ["dev", ["U0DEV"], "U0DEV2"],
    ["dev", ["U0DEV", "U0DEV2"], "U0DEV3"],
  ])("makes %s with %j taken into the Slack id %s", (name, taken, id) => {
    expect(slackIdFor(name, new Set(taken))).toBe(id);
  });

  it.each<[string, AccessConfig, [person: string, text: string] | undefined]>([
    [
      "a read-only ask under the first rule that needs approval",
      example,
      ["dev", "prod ReadOnly 1h checking a deploy"],
    ],
    [
      "a short ask on any account but the management one",
      config([rule({ name: "all", maxDurationSeconds: 1800 })]),
      ["dev", "prod ReadOnly 30m checking a deploy"],
    ],
    [
      "an ask by the one person a rule lists by email",
      config([rule({ name: "lead", requesters: { groups: [], emails: ["lead@example.com"] } })]),
      ["lead", "prod ReadOnly 1h checking a deploy"],
    ],
    ["nothing when every rule is granted at once", config([selfService]), undefined],
  ])("suggests %s", (_case, cfg, expected) => {
    const suggested = exampleRequest(cfg, sandboxWorld(cfg).people);
    expect(suggested && [suggested.person.name, suggested.text]).toEqual(expected);
  });
});
