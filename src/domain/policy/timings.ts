import type { AccessConfig, Rule } from "../config.js";
import { findRule } from "./lookup.js";

/** Approvers are reminded of a pending request after this long unless the config says otherwise. */
export const DEFAULT_APPROVER_REMINDER_SECONDS = 30 * 60;

/** The times a rule's grants keep: the rule's own, else the config's defaults. */
export interface RuleTimings {
  requestTimeoutSeconds: number;
  /** DM before expiry; 0: none. */
  reminderBeforeSeconds: number;
  /** Threaded reply to the approvers of a pending request; 0: none. */
  approverReminderSeconds: number;
}

/** A rule's timings; a rule no longer in the config (or none named) gets the defaults. */
export function timingsFor(config: AccessConfig, rule: Rule | string | undefined): RuleTimings {
  const found = typeof rule === "string" ? findRule(config, rule) : rule;
  const defaults = config.defaults;
  return {
    requestTimeoutSeconds: found?.requestTimeoutSeconds ?? defaults.requestTimeoutSeconds,
    reminderBeforeSeconds: found?.reminderBeforeSeconds ?? defaults.reminderBeforeSeconds,
    approverReminderSeconds:
      found?.approverReminderSeconds ?? defaults.approverReminderSeconds ?? DEFAULT_APPROVER_REMINDER_SECONDS,
  };
}
