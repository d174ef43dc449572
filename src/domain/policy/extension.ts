import type { Rule } from "../config.js";
import type { Grant } from "../grant.js";

/** What one click on Extend asks for at most. */
export const EXTEND_STEP_SECONDS = 3600;

/**
 * What an Extend button adds to an active grant: an hour, or what the rule's maximum still allows (whole minutes);
 * 0 (no button) when nothing is left, the rule is gone or an extension is already waiting for approval.
 */
export function extendStepSeconds(
  rule: Rule | undefined,
  grant: Pick<Grant, "status" | "activatedAt" | "expiresAt" | "durationSeconds" | "extension">,
): number {
  if (!rule || grant.status !== "active" || grant.extension?.status === "pending") return 0;
  const current =
    grant.activatedAt !== undefined && grant.expiresAt !== undefined
      ? Math.round((grant.expiresAt - grant.activatedAt) / 1000)
      : grant.durationSeconds;
  const step = Math.min(EXTEND_STEP_SECONDS, rule.maxDurationSeconds - current);
  return step >= 60 ? Math.floor(step / 60) * 60 : 0;
}
