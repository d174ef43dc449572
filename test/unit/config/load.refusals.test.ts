import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { type Edit, edited, problemsOf } from "../../support/config-fixtures.js";

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
