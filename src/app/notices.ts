import type { AuditEvent, Grant } from "../domain/grant.js";
import type { AppDeps } from "./deps.js";
import type { Notice, NoticeBody, RequesterNotice } from "./ports.js";

/** Who hears of a change: the requester (which notice), the approval message, the audit channel. */
export interface Announce {
  requester?: RequesterNotice;
  /** Re-render the approval message. */
  message?: boolean;
  /** Post the change's audit event to the audit channel, when one is configured. */
  audit?: boolean;
  /** Nothing at all unless the change is audited (a retry in the same situation is not). */
  onlyIfAudited?: boolean;
  /** Remind the approvers in the approval message's thread. */
  nudge?: boolean;
  /** Post or re-render the extension request in the approval message's thread. */
  extension?: boolean;
}

/** A notice for `grant` as just written; ids follow the grant's version, so a retried write records the same. */
export function notice(grant: Grant, n: number, body: NoticeBody, now: number): Notice {
  return {
    id: `${grant.id}#${grant.version}#${n}`,
    grantId: grant.id,
    grant,
    body,
    createdAt: now,
    state: "pending",
    dueAt: now,
    attempts: 0,
    version: 1,
  };
}

/** The notices a change causes, in the order they should arrive. */
export function noticesFor(
  deps: AppDeps,
  grant: Grant,
  audit: AuditEvent | undefined,
  announce: Announce,
): Notice[] {
  if (announce.onlyIfAudited && !audit) return [];
  const now = deps.clock.now();
  const bodies: NoticeBody[] = [];
  if (announce.message) bodies.push({ kind: "update-request" });
  if (announce.extension) bodies.push({ kind: "extension" });
  if (announce.nudge) bodies.push({ kind: "nudge" });
  if (announce.requester) bodies.push({ kind: "dm", notice: announce.requester });
  const channel = deps.config.slack.auditChannel;
  if (announce.audit && channel && audit) bodies.push({ kind: "audit", channel, event: audit });
  // Every decision shows on the Home tabs of the people it concerns.
  if (audit) bodies.push({ kind: "home" });
  return bodies.map((body, n) => notice(grant, n, body, now));
}

/** The approval request and the audit posts of a new grant. */
export function requestNotices(deps: AppDeps, grant: Grant, channel: string, audit: AuditEvent[]): Notice[] {
  const now = deps.clock.now();
  const bodies: NoticeBody[] = [{ kind: "post-request", channel }];
  const auditChannel = deps.config.slack.auditChannel;
  if (auditChannel) for (const event of audit) bodies.push({ kind: "audit", channel: auditChannel, event });
  bodies.push({ kind: "home" });
  return bodies.map((body, n) => notice(grant, n, body, now));
}
