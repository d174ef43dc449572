/** The validated access configuration, durations in seconds; src/config builds it from access.yml. */
export interface AccessConfig {
  identityCenter: {
    instanceArn?: string;
    identityStoreId?: string;
    portalUrl?: string;
    managementAccountId?: string;
  };
  slack: { approvalChannel: string; auditChannel?: string };
  defaults: {
    durationSeconds: number;
    minDurationSeconds: number;
    requestTimeoutSeconds: number;
    /** 0 turns the reminder off. */
    reminderBeforeSeconds: number;
    /** Reply in a pending request's thread, mentioning its approvers, this long after it was asked; 0 turns it off. */
    approverReminderSeconds?: number;
  };
  /** Keyed by alias as written; look-ups are case-insensitive. */
  accounts: Record<string, { id: string; name?: string }>;
  /** Name as written -> permission set ARN; look-ups are case-insensitive. */
  permissionSets: Record<string, string>;
  rules: Rule[];
}

/** Identity Center group display names and/or emails. */
export interface Principals {
  groups: string[];
  emails: string[];
}

export interface Rule {
  name: string;
  /** Aliases as written in the config, or ["*"]. */
  accounts: string[];
  /** Permission set names as written, or ["*"]. */
  permissionSets: string[];
  /** Undefined: anyone may request. */
  requesters?: Principals;
  autoApprove: boolean;
  approvers?: Principals;
  approvalsRequired: number;
  allowSelfApproval: boolean;
  maxDurationSeconds: number;
  /** Overrides slack.approvalChannel. */
  channel?: string;
  /** Override the defaults of the same names for this rule's grants. */
  requestTimeoutSeconds?: number;
  reminderBeforeSeconds?: number;
  approverReminderSeconds?: number;
}
