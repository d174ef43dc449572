import type { StartSpec } from "./duration.js";

/** Most (account, permission set) parts one request may ask for: accounts times permission sets. */
export const MAX_PARTS = 10;

/** What a `/aws-access` command asks for, parsed from its text (see parseCommand). */
export type Command =
  /** Every named account with every named permission set, as written in the config. */
  | {
      kind: "request";
      accounts: string[];
      permissionSets: string[];
      durationSeconds?: number;
      start?: StartSpec;
      reason: string;
    }
  | { kind: "list" }
  /** `grantId` is a grant id or a request id (`r-…`). */
  | { kind: "revoke"; grantId: string }
  /** `grantId` is a grant id or a request id (`r-…`). */
  | { kind: "extend"; grantId: string; durationSeconds: number }
  | { kind: "help" }
  /** Nothing or not enough given: open the modal, pre-filled with what was given. */
  | {
      kind: "modal";
      accounts?: string[];
      permissionSets?: string[];
      durationSeconds?: number;
      start?: StartSpec;
      reason?: string;
    };

export type ParseResult = { ok: true; command: Command } | { ok: false; error: string };
