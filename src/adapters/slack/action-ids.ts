/** Every action_id, callback_id and block_id the app sends to Slack and listens for, in one place. */
export const ACTIONS = {
  approve: "grant_approve",
  deny: "grant_deny",
  revokeNow: "grant_revoke_now",
  portalLink: "grant_portal_link",
  /** Revoke on the approval message and the Home tab: `value` is the grant id. */
  revoke: "grant_revoke",
  /** Extend by a fixed step: `value` is `<grant id>:<seconds>`. */
  extend: "grant_extend",
  /** Approve or deny a waiting extension: `value` is `<grant id>:<extension id>`. */
  approveExtension: "extension_approve",
  denyExtension: "extension_deny",
} as const;

/** Modal callback ids. */
export const VIEWS = {
  request: "request_modal",
  /** The request form while it is being filled with what the requester may ask for. */
  loading: "request_loading_modal",
  denyReason: "deny_reason_modal",
  result: "result_modal",
} as const;

/** Block and action ids inside the request modal. */
export const REQUEST_FIELDS = {
  account: { block: "request_account", action: "account" },
  permissionSet: { block: "request_permission_set", action: "permission_set" },
  duration: { block: "request_duration", action: "duration" },
  start: { block: "request_start", action: "start" },
  reason: { block: "request_reason", action: "reason" },
} as const;

/** Block and action ids inside the deny-reason modal. */
export const DENY_FIELDS = {
  reason: { block: "deny_reason", action: "reason" },
} as const;
