import { stringify } from "yaml";
import { parseConfig } from "../../src/config/load.js";
import type { AccessConfig, Rule } from "../../src/domain/config.js";
import { formatDuration } from "../../src/domain/duration.js";
import { DEFAULT_INSTANCE } from "../../src/sim/identity-center/index.js";

/** The management account: requests for it are refused. */
export const MANAGEMENT = "111111111111";
export const PROD = "222222222222";
export const STAGING = "333333333333";
/** The ReadOnly permission set ARN the example config names. */
export const READ_ONLY = "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-1111111111111111";
/** The AdministratorAccess permission set ARN the example config names. */
export const ADMIN = "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-2222222222222222";

/**
 * The DESIGN.md example access.yml on the simulator's default instance, plus what DESIGN.md allows beside it:
 * the management account under an alias (`root`) and a last rule (`anything`) covering every account.
 */
const EXAMPLE_YAML = `
identityCenter:
  instanceArn: ${DEFAULT_INSTANCE.instanceArn}
  identityStoreId: ${DEFAULT_INSTANCE.identityStoreId}
  portalUrl: https://acme.awsapps.com/start
  managementAccountId: "${MANAGEMENT}"
slack:
  approvalChannel: C0APPROVALS
  auditChannel: C0AUDIT
defaults:
  duration: 1h
  minDuration: 15m
  requestTimeout: 2h
  reminderBefore: 10m
accounts:
  prod: { id: "${PROD}", name: Production }
  staging: { id: "${STAGING}" }
  root: { id: "${MANAGEMENT}" }
permissionSets:
  ReadOnly: ${READ_ONLY}
  AdministratorAccess: ${ADMIN}
rules:
  - name: staging-self-service
    accounts: [staging]
    permissionSets: [ReadOnly]
    requesters: { groups: [Engineers] }
    autoApprove: true
    maxDuration: 8h
  - name: prod-admin
    accounts: [prod]
    permissionSets: [AdministratorAccess, ReadOnly]
    approvers: { groups: [Organization Administrators], emails: [security-lead@example.com] }
    approvalsRequired: 1
    allowSelfApproval: false
    maxDuration: 4h
    channel: C0PRODADMIN
  - name: anything
    accounts: ["*"]
    permissionSets: ["*"]
    approvers: { groups: [Organization Administrators], emails: [security-lead@example.com] }
    maxDuration: 4h
`;

/** The example config as the loader reads it, with whole top-level sections replaced by `overrides`. */
export function exampleConfig(overrides: Partial<AccessConfig> = {}): AccessConfig {
  return { ...parseConfig(EXAMPLE_YAML, "example access.yml"), ...overrides };
}

/** The example's rule of that name, with `overrides` applied. */
export function exampleRule(
  name: "staging-self-service" | "prod-admin" | "anything",
  overrides: Partial<Rule> = {},
): Rule {
  const rule = exampleConfig().rules.find((r) => r.name === name);
  if (!rule) throw new Error(`the example config has no rule ${name}`);
  return { ...rule, ...overrides };
}

/** Overrides that leave the example as DESIGN.md writes it: no `root` alias, no `anything` rule. */
export const AS_IN_DESIGN: Partial<AccessConfig> = {
  accounts: { prod: { id: PROD, name: "Production" }, staging: { id: STAGING } },
  rules: [exampleRule("staging-self-service"), exampleRule("prod-admin")],
};

/** `exampleConfig(overrides)` written back as access.yml, for a process that reads its config from a file. */
export function exampleConfigYaml(overrides: Partial<AccessConfig> = {}): string {
  return configYaml(exampleConfig(overrides));
}

/** A config as access.yml, durations written the way people write them; `rules` comes last. */
export function configYaml(config: AccessConfig): string {
  const { defaults } = config;
  return stringify({
    identityCenter: config.identityCenter,
    slack: config.slack,
    defaults: {
      duration: written(defaults.durationSeconds),
      minDuration: written(defaults.minDurationSeconds),
      requestTimeout: written(defaults.requestTimeoutSeconds),
      reminderBefore: written(defaults.reminderBeforeSeconds),
      approverReminder: written(defaults.approverReminderSeconds),
    },
    accounts: config.accounts,
    permissionSets: config.permissionSets,
    rules: config.rules.map(
      ({
        maxDurationSeconds,
        requestTimeoutSeconds,
        reminderBeforeSeconds,
        approverReminderSeconds,
        ...rule
      }) => ({
        ...rule,
        maxDuration: written(maxDurationSeconds),
        requestTimeout: written(requestTimeoutSeconds),
        reminderBefore: written(reminderBeforeSeconds),
        approverReminder: written(approverReminderSeconds),
      }),
    ),
  });
}

/** Seconds as access.yml writes them (`4h`, `1h30m`; `0` is off); undefined stays unwritten. */
function written(seconds: number | undefined): string | undefined {
  if (seconds === undefined) return undefined;
  return seconds === 0 ? "0" : formatDuration(seconds);
}

/** The example cut down to prod and one rule administrators approve, with one-minute grants and no reminders. */
export function minuteGrantsConfigYaml(): string {
  const { instanceArn, identityStoreId } = DEFAULT_INSTANCE;
  return exampleConfigYaml({
    identityCenter: { instanceArn, identityStoreId },
    slack: { approvalChannel: "C0APPROVALS" },
    defaults: {
      durationSeconds: 60,
      minDurationSeconds: 60,
      requestTimeoutSeconds: 7200,
      reminderBeforeSeconds: 0,
    },
    accounts: { prod: { id: PROD } },
    rules: [
      exampleRule("prod-admin", {
        permissionSets: ["*"],
        approvers: { groups: ["Organization Administrators"], emails: [] },
        maxDurationSeconds: 3600,
        channel: undefined,
      }),
    ],
  });
}
