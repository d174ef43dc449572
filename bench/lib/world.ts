import type { SimSeed } from "../../src/sim/identity-center/index.js";
import type { FakeSlackUser } from "../../src/sim/slack/fake-slack.js";
import { ADMIN, PROD, READ_ONLY, STAGING } from "../../test/support/app-harness.js";
import { e2eSeed, PEOPLE } from "../../test/support/e2e.js";

/** The DESIGN.md example config, on the simulator's default instance (the one e2eSeed builds). */
export const CONFIG_YAML = `identityCenter:
  instanceArn: arn:aws:sso:::instance/ssoins-7223abcdef123456
  identityStoreId: d-9067abcdef
  portalUrl: https://acme.awsapps.com/start
  managementAccountId: "111111111111"
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
`;

/** A person in Slack and in Identity Center; `prefix` keeps populations apart. */
export interface BenchUser {
  slackId: string;
  email: string;
  userId: string;
}

export function benchUser(prefix: "B" | "M", n: number): BenchUser {
  const tag = String(n).padStart(5, "0");
  return {
    slackId: `U0${prefix}${tag}`,
    email: `${prefix.toLowerCase()}${tag}@example.com`,
    userId: `u-${prefix}${tag}`,
  };
}

/** The end-to-end people and baseline, plus `extra` users. */
export function worldSeed(extra: BenchUser[] = []): SimSeed {
  const seed = e2eSeed();
  return {
    ...seed,
    users: [
      ...(seed.users ?? []),
      ...extra.map((user) => ({ id: user.userId, userName: user.slackId, emails: [user.email] })),
    ],
  };
}

/** Slack profiles of the end-to-end people plus `extra` users. */
export function slackUsers(extra: BenchUser[] = []): FakeSlackUser[] {
  return [...Object.values(PEOPLE), ...extra].map((person) => ({
    id: person.slackId,
    email: person.email,
    tz: "Europe/Berlin",
  }));
}
