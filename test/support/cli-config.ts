import { DEFAULT_INSTANCE } from "../../src/sim/identity-center/index.js";
import { ADMIN, MANAGEMENT, PROD, READ_ONLY, STAGING } from "./app-harness.js";

/** What a test changes in the example config. */
export interface ConfigChanges {
  /** The `permissionSets:` entries, indented. */
  permissionSets?: string;
  approverGroup?: string;
  identityStoreId?: string;
}

/** The DESIGN.md example config as YAML, pointed at the simulator's instance, for the CLI in a child process. */
export function exampleConfigYaml(overrides: ConfigChanges = {}): string {
  return `
identityCenter:
  instanceArn: ${DEFAULT_INSTANCE.instanceArn}
  identityStoreId: ${overrides.identityStoreId ?? DEFAULT_INSTANCE.identityStoreId}
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
permissionSets:
${overrides.permissionSets ?? `  ReadOnly: ${READ_ONLY}\n  AdministratorAccess: ${ADMIN}`}
rules:
  - name: staging-self-service
    accounts: [staging]
    permissionSets: [ReadOnly]
    requesters: { groups: [Engineers] }
    autoApprove: true
    maxDuration: 8h
  - name: prod-admin
    accounts: [prod]
    permissionSets: ["*"]
    approvers: { groups: [${overrides.approverGroup ?? "Organization Administrators"}], emails: [security-lead@example.com] }
    maxDuration: 4h
    channel: C0PRODADMIN
`;
}
