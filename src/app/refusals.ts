import { GrantNotFound, NotAuthorised, RequestRefused } from "../domain/errors.js";
import type { AuditEvent, Grant } from "../domain/grant.js";
import type { AppDeps } from "./deps.js";
import { metricOf } from "./metrics.js";

/** The audit channel hears of one person's refusals at most once in this long; more are counted meanwhile. */
export const REFUSAL_POST_WINDOW_MS = 60_000;

/** Since when a person's refusals are held back from the audit channel, and how many were. */
interface Window {
  openedAt: number;
  held: number;
}

/** Per process, by Chat adapter: the limit is kept by each running bot (and each warm Lambda container). */
const windowsByChat = new WeakMap<object, Map<string, Window>>();

/** Writes a refusal to the audit trail (the grant's, when there is one); a store failure is logged, not thrown. */
export async function recordRefusal(
  deps: AppDeps,
  actor: string,
  reason: string,
  grantId?: string,
  detail?: AuditEvent["detail"],
): Promise<void> {
  const event: AuditEvent = { at: deps.clock.now(), actor, type: "refused", reason };
  if (grantId) event.grantId = grantId;
  if (detail) event.detail = detail;
  try {
    await deps.store.recordRefusal(event);
  } catch (error) {
    deps.log.error("audit: refusal not recorded", { actor, grantId, error: String(error) });
  }
  deps.log.info("refused", { actor, grantId, reason });
  const metric = metricOf(event);
  if (metric) deps.metrics?.count(metric);
  await tellAuditChannel(deps, event);
}

/**
 * Posts a refusal to the audit channel unless this person had one posted less than a minute ago: then it is only
 * counted, and the count is posted when their minute is over (with their next refusal, or by the next flush).
 */
async function tellAuditChannel(deps: AppDeps, event: AuditEvent): Promise<void> {
  const channel = deps.config.slack.auditChannel;
  if (!channel || !deps.chat.auditRefusal) return;
  const now = deps.clock.now();
  const windows = windowsOf(deps);
  const current = windows.get(event.actor);
  if (current && now - current.openedAt < REFUSAL_POST_WINDOW_MS) {
    current.held += 1;
    return;
  }
  windows.set(event.actor, { openedAt: now, held: 0 });
  await postRefusal(deps, channel, event.actor, event, current?.held ?? 0);
  await flushRefusalSummaries(deps);
}

/** Posts the held-back count of every person whose minute is over; called by each notice delivery pass too. */
export async function flushRefusalSummaries(deps: AppDeps): Promise<void> {
  const channel = deps.config.slack.auditChannel;
  if (!channel || !deps.chat.auditRefusal) return;
  const now = deps.clock.now();
  const windows = windowsOf(deps);
  for (const [actor, window] of [...windows]) {
    if (now - window.openedAt < REFUSAL_POST_WINDOW_MS) continue;
    if (window.held === 0) {
      windows.delete(actor);
      continue;
    }
    // The summary is this person's post for the next minute.
    windows.set(actor, { openedAt: now, held: 0 });
    await postRefusal(deps, channel, actor, undefined, window.held);
  }
}

function windowsOf(deps: AppDeps): Map<string, Window> {
  let windows = windowsByChat.get(deps.chat);
  if (!windows) {
    windows = new Map();
    windowsByChat.set(deps.chat, windows);
  }
  return windows;
}

/** A failure to post is logged: the refusal is in the audit trail whatever Slack does. */
async function postRefusal(
  deps: AppDeps,
  channel: string,
  actor: string,
  event: AuditEvent | undefined,
  heldBack: number,
): Promise<void> {
  try {
    await deps.chat.auditRefusal?.(channel, actor, event, heldBack);
  } catch (error) {
    deps.log.warn("slack: refusal not posted to the audit channel", {
      actor,
      heldBack,
      error: String(error),
    });
  }
}

/** Records a refused click or command on a grant by someone not allowed to, then throws it for the caller to show. */
export async function refuseOnGrant(
  deps: AppDeps,
  grant: Grant,
  actor: string,
  action: string,
  reason: string,
  hint = "",
): Promise<never> {
  await recordRefusal(deps, actor, `${action} refused: ${reason}`, grant.id);
  throw new NotAuthorised(`You cannot ${action} \`${grant.id}\`: ${reason}${hint}`);
}

/** Records a request or command that cannot be done as asked (bad input, no rule, wrong status), then throws it. */
export async function refuseAsAsked(
  deps: AppDeps,
  actor: string,
  message: string,
  grant?: Grant,
  detail?: AuditEvent["detail"],
): Promise<never> {
  await recordRefusal(deps, actor, message, grant?.id, detail);
  throw new RequestRefused(message);
}

/** Loads a grant for a command or click; an unknown id is recorded and refused. */
export async function grantFor(deps: AppDeps, actor: string, grantId: string): Promise<Grant> {
  const grant = await deps.store.get(grantId);
  if (grant) return grant;
  await recordRefusal(deps, actor, `no grant \`${grantId}\``, undefined, { grantId });
  throw new GrantNotFound(grantId);
}
