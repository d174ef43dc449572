import type { AuditEvent, Grant } from "../domain/grant.js";
import type { AppDeps } from "./deps.js";
import type { RequesterNotice } from "./ports.js";

/** Slack is told after the fact: a Slack outage is logged and never stops or undoes a state change. */
async function quietly(
  deps: AppDeps,
  what: string,
  grant: Grant,
  call: () => Promise<unknown>,
): Promise<void> {
  try {
    await call();
  } catch (error) {
    deps.log.warn(`slack: ${what} failed`, { grantId: grant.id, error: describe(error) });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Posts one event to the audit channel, when there is one. */
export async function auditPost(deps: AppDeps, grant: Grant, audit: AuditEvent): Promise<void> {
  const channel = deps.config.slack.auditChannel;
  if (channel) await quietly(deps, "audit post", grant, () => deps.chat.audit(channel, grant, audit));
}

/** Tells the requester, re-renders the approval message and posts to the audit channel. */
export async function announce(
  deps: AppDeps,
  grant: Grant,
  audit: AuditEvent | undefined,
  notice?: RequesterNotice,
): Promise<void> {
  const tasks: Promise<void>[] = [];
  if (grant.message) {
    const ref = grant.message;
    tasks.push(
      quietly(deps, "update request", grant, () => deps.chat.updateRequest(ref, grant, deps.config)),
    );
  }
  if (notice) {
    tasks.push(
      quietly(deps, `notify ${notice}`, grant, () => deps.chat.notifyRequester(grant, notice, deps.config)),
    );
  }
  const channel = deps.config.slack.auditChannel;
  if (channel && audit) {
    tasks.push(quietly(deps, "audit post", grant, () => deps.chat.audit(channel, grant, audit)));
  }
  await Promise.all(tasks);
}

/** Logs one lifecycle event with the grant id and actor on the line. */
export function logEvent(deps: AppDeps, audit: AuditEvent | undefined): void {
  if (!audit) return;
  deps.log.info(`grant ${audit.type}`, {
    grantId: audit.grantId,
    actor: audit.actor,
    status: audit.status,
    ...(audit.reason ? { reason: audit.reason } : {}),
  });
}
