import type { Rule } from "../config.js";

/** A person acting through Slack; groups are Identity Center group display names (compared case-insensitively). */
export interface Actor {
  slackId: string;
  email: string;
  groups: readonly string[];
}

/** What one part of a request names: account alias or 12-digit id, permission set name, optional duration. */
export interface OnePartAsk {
  account: string;
  permissionSet: string;
  durationSeconds?: number;
}

export type RefusalCode =
  | "unknown-account"
  | "unknown-permission-set"
  | "management-account"
  | "no-rule"
  | "not-eligible"
  | "too-long"
  | "too-short"
  | "no-parts"
  | "too-many-parts"
  | "duplicate-part"
  | "different-channels";

/** A request the rules allow, with everything the use case needs to record and route it. */
export interface Approved {
  ok: true;
  rule: Rule;
  account: { alias: string; id: string; name?: string };
  permissionSet: { name: string; arn: string };
  durationSeconds: number;
  autoApprove: boolean;
  approvalsRequired: number;
  allowSelfApproval: boolean;
  explanation: string;
}

/** A request the rules do not allow; the message says why and what may be asked for instead. */
export interface Refused {
  ok: false;
  code: RefusalCode;
  message: string;
  rule?: string;
  alternatives: Offer[];
  /** The part refused, when the request named several. */
  part?: { account: string; permissionSet: string };
}

/** Permission sets one person may request in one account, under the same limits. */
export interface Offer {
  account: string;
  permissionSets: string[];
  maxDurationSeconds: number;
  autoApprove: boolean;
}

export type Check = { ok: true } | { ok: false; reason: string };

/** Why the management account is always refused (DESIGN.md, "Decisions the contract fixes"). */
export const MANAGEMENT_ACCOUNT_REASON =
  "Identity Center cannot assign access in the organisation's management account from a delegated administrator";
