import { formatDuration } from "../../../domain/duration.js";
import type { Grant } from "../../../domain/grant.js";
import { code } from "../escape.js";
import { accessLabel, grantRef, relative, slackDate } from "./format.js";

/** What the person who clicked Revoke (or Cancel request) reads. */
export function revokedReply(grant: Grant): string {
  if (grant.status === "cancelled")
    return `:heavy_multiplication_x: Cancelled request ${grantRef(grant)} (${accessLabel(grant)}).`;
  return `:checkered_flag: Ending ${grantRef(grant)} (${accessLabel(grant)}); access is being removed.`;
}

/** What the person who asked for more time reads: extended now, or waiting for the rule's approvers. */
export function extendedReply(grant: Grant, now: number): string {
  const waiting = grant.extension?.status === "pending" ? grant.extension : undefined;
  if (waiting) {
    const more = code(formatDuration(waiting.addSeconds));
    return `:hourglass_flowing_sand: Asked the approvers of rule ${code(grant.rule)} to extend ${grantRef(grant)} by ${more} (${waiting.approvals.length} of ${waiting.required} approvals so far). The requester gets a message when it is decided.`;
  }
  const until =
    grant.expiresAt === undefined
      ? ""
      : ` until ${slackDate(grant.expiresAt)} (${relative(grant.expiresAt, now)})`;
  return `:arrows_counterclockwise: ${grantRef(grant)} (${accessLabel(grant)}) now lasts${until}.`;
}

/** What an approver reads after Approve or Deny on an extension. */
export function extensionDecidedReply(grant: Grant): string {
  const extension = grant.extension;
  const more = extension ? ` by ${code(formatDuration(extension.addSeconds))}` : "";
  switch (extension?.status) {
    case "approved":
      return `:white_check_mark: ${grantRef(grant)} extended${more}; it now ends ${grant.expiresAt === undefined ? "later" : slackDate(grant.expiresAt)}.`;
    case "denied":
      return `:no_entry: Extension of ${grantRef(grant)}${more} denied.`;
    default:
      return `:ballot_box_with_check: Your approval of the extension of ${grantRef(grant)}${more} is counted (${extension?.approvals.length ?? 0} of ${extension?.required ?? 0}).`;
  }
}
