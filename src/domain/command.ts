/** What a `/aws-access` command asks for, parsed from its text (see parseCommand). */
export type Command =
  | { kind: "request"; account: string; permissionSet: string; durationSeconds?: number; reason: string }
  | { kind: "list" }
  | { kind: "revoke"; grantId: string }
  | { kind: "extend"; grantId: string; durationSeconds: number }
  | { kind: "help" }
  /** Nothing or not enough given: open the modal, pre-filled with what was given. */
  | { kind: "modal"; account?: string; permissionSet?: string; durationSeconds?: number; reason?: string };

export type ParseResult = { ok: true; command: Command } | { ok: false; error: string };
