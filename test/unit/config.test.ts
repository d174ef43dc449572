import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ConfigInvalid, ConfigNotFound } from "../../src/config/errors.js";
import { loadConfig, parseConfig } from "../../src/config/load.js";

const fixture = (name: string) => new URL(`../fixtures/config/${name}`, import.meta.url).pathname;
const VALID = readFileSync(fixture("valid.yml"), "utf8");

type Step = string | number;
type Edit = [path: Step[], value: unknown];

/** The valid fixture with each edit applied; `undefined` deletes the key. */
function edited(edits: Edit[]): string {
  const doc: unknown = parse(VALID);
  for (const [path, value] of edits) {
    let node = doc as Record<Step, unknown>;
    for (const step of path.slice(0, -1)) node = node[step] as Record<Step, unknown>;
    const last = path.at(-1) as Step;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return stringify(doc);
}

function problemsOf(yamlText: string): string[] {
  try {
    parseConfig(yamlText);
  } catch (error) {
    if (error instanceof ConfigInvalid) return error.problems;
    throw error;
  }
  throw new Error("the config was accepted");
}

const ARN = "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-1111111111111111";

describe("parseConfig", () => {
  it.each<[string, Edit[], string]>([
    [
      "a bad rule duration",
      [[["rules", 1, "maxDuration"], "4x"]],
      "rules[1].maxDuration: '4x' is not a duration (use 30m, 4h, 1h30m, 1d or PT4H)",
    ],
    [
      "a bad default duration",
      [[["defaults"], { duration: "soon" }]],
      "defaults.duration: 'soon' is not a duration",
    ],
    [
      "a bare number as a duration",
      [[["defaults"], { requestTimeout: 60 }]],
      "defaults.requestTimeout: '60' is not a duration",
    ],
    [
      "a bad reminder",
      [[["defaults"], { reminderBefore: "x" }]],
      "defaults.reminderBefore: 'x' is not a duration (use 30m, 4h, 1h30m, 1d or PT4H), or 0 for off",
    ],
    [
      "a missing maxDuration",
      [[["rules", 0, "maxDuration"], undefined]],
      "rules[0].maxDuration: is required",
    ],
    [
      "an unknown account alias, close to one",
      [[["rules", 1, "accounts"], ["prd"]]],
      "rules[1].accounts[0]: unknown account alias 'prd' (did you mean 'prod'?)",
    ],
    [
      "an unknown account alias, far from all",
      [
        [
          ["rules", 1, "accounts"],
          ["prod", "elsewhere"],
        ],
      ],
      "rules[1].accounts[1]: unknown account alias 'elsewhere' (known: mgmt, prod, staging)",
    ],
    [
      "an unknown permission set",
      [[["rules", 1, "permissionSets"], ["AdministratorAcess"]]],
      "rules[1].permissionSets[0]: unknown permission set 'AdministratorAcess' (did you mean 'AdministratorAccess'?)",
    ],
    [
      "a rule without approvers or autoApprove",
      [[["rules", 1, "approvers"], undefined]],
      "rules[1].approvers: is required unless autoApprove is true",
    ],
    [
      "a rule with autoApprove false and no approvers",
      [[["rules", 0, "autoApprove"], false]],
      "rules[0].approvers: is required unless autoApprove is true",
    ],
    [
      "approvers listing nobody",
      [[["rules", 1, "approvers"], { groups: [], emails: [] }]],
      "rules[1].approvers: lists no groups or emails",
    ],
    [
      "requesters listing nobody",
      [[["rules", 1, "requesters"], {}]],
      "rules[1].requesters: lists no groups or emails (omit requesters to let anyone request)",
    ],
    [
      "aliases differing only by case",
      [[["accounts", "Prod"], { id: "444444444444" }]],
      "accounts.Prod: duplicates account alias 'prod' (names match case-insensitively)",
    ],
    [
      "permission set names differing only by case",
      [[["permissionSets", "readonly"], ARN]],
      "permissionSets.readonly: duplicates permission set name 'ReadOnly'",
    ],
    [
      "duplicate rule names",
      [[["rules", 1, "name"], "Everyone-Read"]],
      "rules[1].name: 'Everyone-Read' is already the name of rules[0]",
    ],
    [
      "an 11-digit account id",
      [[["accounts", "prod", "id"], "22222222222"]],
      "accounts.prod.id: '22222222222' is not a 12-digit account id",
    ],
    [
      "an account id with letters",
      [[["accounts", "prod", "id"], "22222222222x"]],
      "accounts.prod.id: '22222222222x' is not a 12-digit account id",
    ],
    [
      "an id that lost its leading zero",
      [[["accounts", "prod", "id"], 12345678901]],
      'accounts.prod.id: 12345678901 is not a 12-digit account id; quote account ids ("012345678901")',
    ],
    [
      "a short management account id",
      [[["identityCenter", "managementAccountId"], 12345]],
      "identityCenter.managementAccountId: 12345 is not a 12-digit account id; quote",
    ],
    [
      "a permission set that is not an Identity Center ARN",
      [[["permissionSets", "ReadOnly"], "arn:aws:iam::aws:policy/ReadOnlyAccess"]],
      "permissionSets.ReadOnly: 'arn:aws:iam::aws:policy/ReadOnlyAccess' is not a permission set ARN",
    ],
    [
      "a bad instance ARN",
      [[["identityCenter", "instanceArn"], "arn:aws:sso:::instance/ins-1"]],
      "identityCenter.instanceArn: 'arn:aws:sso:::instance/ins-1' is not an instance ARN",
    ],
    [
      "a bad identity store id",
      [[["identityCenter", "identityStoreId"], "d-123"]],
      "identityCenter.identityStoreId: 'd-123' is not an identity store id",
    ],
    [
      "a maxDuration below the minimum",
      [[["rules", 0, "maxDuration"], "10m"]],
      "rules[0].maxDuration: 10m is shorter than defaults.minDuration (15m)",
    ],
    [
      "a maxDuration below a raised minimum",
      [[["defaults"], { minDuration: "5h", duration: "5h" }]],
      "rules[1].maxDuration: 4h is shorter than defaults.minDuration (5h)",
    ],
    [
      "a default duration below the minimum",
      [[["defaults"], { duration: "10m" }]],
      "defaults.duration: 10m is shorter than defaults.minDuration (15m)",
    ],
    [
      "approvalsRequired of 0",
      [[["rules", 1, "approvalsRequired"], 0]],
      "rules[1].approvalsRequired: 0 approvals: at least 1 is required",
    ],
    [
      "a fractional approvalsRequired",
      [[["rules", 1, "approvalsRequired"], 1.5]],
      "rules[1].approvalsRequired: 1.5 is not a whole number of approvals",
    ],
    [
      "approvalsRequired as text",
      [[["rules", 1, "approvalsRequired"], "two"]],
      "rules[1].approvalsRequired: expected a whole number, got 'two'",
    ],
    [
      "a quorum that emails alone cannot reach",
      [
        [["rules", 1, "approvers"], { emails: ["a@example.com", "A@example.com", "b@example.com"] }],
        [["rules", 1, "approvalsRequired"], 3],
      ],
      "rules[1].approvalsRequired: 3 approvals can never be reached: only 2 approver email(s)",
    ],
    [
      "an alias that is a subcommand",
      [[["accounts", "help"], { id: "444444444444" }]],
      "accounts.help: 'help' cannot be an account alias",
    ],
    [
      "an alias that is a subcommand in capitals",
      [[["accounts", "Revoke"], { id: "444444444444" }]],
      "accounts.Revoke: 'Revoke' cannot be an account alias",
    ],
    [
      "an alias with whitespace",
      [[["accounts", "my prod"], { id: "444444444444" }]],
      "accounts[\"my prod\"]: account alias 'my prod' contains whitespace",
    ],
    ["an unknown top-level key", [[["slak"], {}]], "slak: unknown key (did you mean 'slack'?)"],
    [
      "an unknown rule key",
      [[["rules", 1, "maxDuraton"], "3h"]],
      "rules[1].maxDuraton: unknown key (did you mean 'maxDuration'?)",
    ],
    [
      "an unknown account key",
      [[["accounts", "prod", "owner"], "ops"]],
      "accounts.prod.owner: unknown key (expected one of: id, name)",
    ],
    [
      "an unknown approvers key",
      [[["rules", 1, "approvers", "users"], ["bob"]]],
      "rules[1].approvers.users: unknown key",
    ],
    [
      "an unknown defaults key",
      [[["defaults"], { requestTimeuot: "1h" }]],
      "defaults.requestTimeuot: unknown key (did you mean 'requestTimeout'?)",
    ],
    [
      "a channel name instead of an id",
      [[["slack", "approvalChannel"], "#general"]],
      "slack.approvalChannel: '#general' is not a Slack channel id",
    ],
    [
      "a lowercase rule channel",
      [[["rules", 1, "channel"], "c0abc"]],
      "rules[1].channel: 'c0abc' is not a Slack channel id",
    ],
    [
      "a bad audit channel",
      [[["slack", "auditChannel"], "D0ABC"]],
      "slack.auditChannel: 'D0ABC' is not a Slack channel id",
    ],
    [
      "a portal URL over http",
      [[["identityCenter", "portalUrl"], "http://acme.awsapps.com/start"]],
      "identityCenter.portalUrl: 'http://acme.awsapps.com/start' is not an https URL",
    ],
    ["a missing slack section", [[["slack"], undefined]], "slack: is required"],
    ["no rules", [[["rules"], []]], "rules: lists no rules"],
    [
      "no accounts",
      [
        [["accounts"], {}],
        [["rules", 1, "accounts"], ["*"]],
      ],
      "accounts: lists no accounts",
    ],
    ["a rule without accounts", [[["rules", 0, "accounts"], []]], "rules[0].accounts: lists no accounts"],
    [
      "a bad approver email",
      [[["rules", 1, "approvers", "emails"], ["bob"]]],
      "rules[1].approvers.emails[0]: 'bob' is not an email address",
    ],
    [
      "autoApprove as text",
      [[["rules", 0, "autoApprove"], "yes"]],
      "rules[0].autoApprove: expected true or false, got 'yes'",
    ],
    [
      "an account given as a bare id",
      [[["accounts", "prod"], "222222222222"]],
      "accounts.prod: expected a mapping of id and name, got '222222222222'",
    ],
  ])("refuses %s, naming the path", (_case, edits, expected) => {
    expect(problemsOf(edited(edits))).toEqual([expect.stringContaining(expected)]);
  });

  it("loads the valid fixture, where the management account has an alias and is covered by a * rule", () => {
    const config = parseConfig(VALID);
    expect(config.accounts.mgmt).toEqual({ id: "111111111111", name: "Management" });
    expect(config.rules[0]?.accounts).toEqual(["*"]);
    expect(config.identityCenter.managementAccountId).toBe("111111111111");
  });

  it("applies rule defaults and converts durations to seconds", () => {
    const rule = parseConfig(VALID).rules[1];
    expect(rule).toEqual({
      name: "prod-admin",
      accounts: ["prod"],
      permissionSets: ["AdministratorAccess"],
      autoApprove: false,
      approvers: { groups: ["Organization Administrators"], emails: [] },
      approvalsRequired: 1,
      allowSelfApproval: false,
      maxDurationSeconds: 4 * 3600,
    });
  });

  it.each<[string, unknown, number]>([
    ["0 as a number", 0, 0],
    ["0 as text", "0", 0],
    ["a duration", "30m", 1800],
  ])("reads reminderBefore given as %s", (_case, value, seconds) => {
    const config = parseConfig(edited([[["defaults"], { reminderBefore: value }]]));
    expect(config.defaults.reminderBeforeSeconds).toBe(seconds);
  });

  it("accepts a 12-digit account id written as a YAML number", () => {
    const config = parseConfig(edited([[["accounts", "prod", "id"], 222222222222]]));
    expect(config.accounts.prod?.id).toBe("222222222222");
  });

  it("lists every problem, one per line, each with its path", () => {
    const text = edited([
      [["slack", "approvalChannel"], "general"],
      [["rules", 0, "maxDuration"], "4x"],
      [["rules", 1, "accounts"], ["prd"]],
    ]);
    expect(() => parseConfig(text, "ops/access.yml")).toThrow(
      [
        "ops/access.yml is not a valid access config (3 problems):",
        "- slack.approvalChannel: 'general' is not a Slack channel id such as C0123ABCD (C or G, then capitals and digits)",
        "- rules[0].maxDuration: '4x' is not a duration (use 30m, 4h, 1h30m, 1d or PT4H)",
        "- rules[1].accounts[0]: unknown account alias 'prd' (did you mean 'prod'?)",
      ].join("\n"),
    );
  });

  it("reports a YAML syntax error with its line and column", () => {
    expect(problemsOf("slack:\n  approvalChannel: C0A\nslack: {}\n")).toEqual([
      "YAML syntax error: Map keys must be unique at line 3, column 1",
    ]);
  });

  it.each([
    ["an empty file", ""],
    ["a list", "- a\n- b\n"],
  ])("refuses %s", (_case, text) => {
    expect(problemsOf(text)).toHaveLength(1);
  });
});

describe("loadConfig", () => {
  it("loads the example config shipped with the project", async () => {
    const config = await loadConfig(new URL("../../access.example.yml", import.meta.url).pathname);
    expect(config.defaults).toEqual({
      durationSeconds: 3600,
      minDurationSeconds: 900,
      requestTimeoutSeconds: 7200,
      reminderBeforeSeconds: 600,
    });
    expect(config.rules.map((rule) => rule.name)).toEqual(["staging-self-service", "prod-admin"]);
    expect(config.rules[1]?.approvers?.groups).toEqual(["Organization Administrators"]);
    expect(config.rules[1]?.channel).toBe("C0PRODADMIN");
    expect(config.rules[0]?.maxDurationSeconds).toBe(8 * 3600);
  });

  it("applies every default to a minimal config", async () => {
    const config = await loadConfig(fixture("minimal.yml"));
    expect(config.identityCenter).toEqual({});
    expect(config.defaults.durationSeconds).toBe(3600);
    expect(config.accounts.sandbox?.id).toBe("444444444444");
    expect(config.rules[0]).toMatchObject({
      autoApprove: false,
      approvalsRequired: 1,
      maxDurationSeconds: 7200,
    });
  });

  it("refuses a missing file with a hint to copy the example", async () => {
    const missing = fixture("absent.yml");
    await expect(loadConfig(missing)).rejects.toThrow(ConfigNotFound);
    await expect(loadConfig(missing)).rejects.toThrow(
      `no access config at ${missing}: copy access.example.yml`,
    );
  });

  it("refuses a file with a syntax error, naming the file, line and column", async () => {
    await expect(loadConfig(fixture("syntax-error.yml"))).rejects.toThrow(
      /syntax-error\.yml .*\n.*line 5, column 1/,
    );
  });

  it("reports every problem of an invalid file at once, with a stable code", async () => {
    const rejection = expect(loadConfig(fixture("invalid.yml"))).rejects;
    await rejection.toMatchObject({
      name: "ConfigInvalid",
      code: "CONFIG_INVALID",
      problems: [
        expect.stringMatching(/^slack\.approvalChannel: /),
        expect.stringMatching(/^accounts\.prod\.id: 22222222222 is not a 12-digit account id; quote/),
        expect.stringMatching(/^rules\[0\]\.maxDuration: '4x'/),
      ],
    });
  });
});
