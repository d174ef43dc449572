import type { AccessConfig, Rule } from "../../src/domain/config.js";
import type { Actor, Approved, Refused } from "../../src/domain/policy.js";
import { exampleConfig, MANAGEMENT, PROD, STAGING } from "./example-config.js";

/** Seconds in an hour, the unit rule durations are written in. */
export const HOUR = 3600;

/** A rule that needs one administrator's approval; override what the test is about. */
export function rule(overrides: Partial<Rule> & { name: string }): Rule {
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

/**
 * The example config with the given rules, the management account under the alias `mgmt`, and no audit channel
 * or portal.
 */
export function config(rules: Rule[], overrides: Partial<AccessConfig> = {}): AccessConfig {
  return exampleConfig({
    identityCenter: { managementAccountId: MANAGEMENT },
    slack: { approvalChannel: "C0APPROVALS" },
    accounts: { mgmt: { id: MANAGEMENT }, prod: { id: PROD, name: "Production" }, staging: { id: STAGING } },
    rules,
    ...overrides,
  });
}

/** A requester in the Engineers group. */
export const engineer: Actor = { slackId: "U0ENG", email: "eng@example.com", groups: ["Engineers"] };
/** An approver, whose group is written in another case than the rules write it. */
export const admin: Actor = {
  slackId: "U0ADM",
  email: "admin@example.com",
  groups: ["organization administrators"],
};
/** Someone in no group. */
export const stranger: Actor = { slackId: "U0STR", email: "stranger@example.com", groups: [] };
/** Engineers may take ReadOnly on staging at once. */
export const selfService = rule({
  name: "staging-self-service",
  accounts: ["staging"],
  permissionSets: ["ReadOnly"],
  requesters: { groups: ["Engineers"], emails: [] },
  autoApprove: true,
  approvers: undefined,
  maxDurationSeconds: 8 * HOUR,
});
/** Anyone may ask for prod access; administrators or the security lead approve. */
export const prodAdmin = rule({
  name: "prod-admin",
  accounts: ["prod"],
  permissionSets: ["AdministratorAccess", "ReadOnly"],
  approvers: { groups: ["Organization Administrators"], emails: ["security-lead@example.com"] },
  channel: "C0PRODADMIN",
});
/** The two rules above, in that order. */
export const example = config([selfService, prodAdmin]);
/** A security lead who approves staging only, in the same channel as prod's approvers. */
export const lead: Actor = { slackId: "U0LEAD", email: "lead@example.com", groups: [] };
/** Staging approved by the security lead alone, for up to two hours. */
export const stagingByLead = rule({
  name: "staging-lead",
  accounts: ["staging"],
  approvers: { groups: [], emails: ["lead@example.com"] },
  maxDurationSeconds: 2 * HOUR,
  channel: "C0PRODADMIN",
});
/** Self-service staging, prod's administrators and staging's lead: the parts of one request meet several rules. */
export const mixed = config([selfService, prodAdmin, stagingByLead]);
/** The approval in a decision, or a thrown error naming why it was refused. */
export function approved(result: Approved | Refused): Approved {
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result;
}

/** The refusal in a decision, or a thrown error naming the rule that approved it. */
export function refused(result: Approved | Refused): Refused {
  if (result.ok) throw new Error(`approved by ${result.rule.name}`);
  return result;
}
