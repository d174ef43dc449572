import { GrantChangedConcurrently, NoticeChangedConcurrently } from "../domain/errors.js";
import type { AppDeps } from "./deps.js";
import { ServiceError } from "./errors.js";
import { sendExtension, sendExtensionIfDropped } from "./extension-notices.js";
import { refreshHomes } from "./home.js";
import { sendNudge } from "./nudge.js";
import type { Notice } from "./ports.js";
import { flushRefusalSummaries } from "./refusals.js";
import { partsShown, updateRequestMessage } from "./request-message.js";
import { requesterExtras } from "./sessions.js";
import { planNext } from "./timing.js";
import { within } from "./within.js";
import { apply } from "./write.js";

/** Notices sent at once; notices of one grant go one after another, in the order they were recorded. */
const SENDERS = 4;
/** One delivery may take this long; then it is left to a later try. */
export const SEND_TIMEOUT_MS = 15_000;
/** A sender's claim on a notice: longer than a delivery may take, Slack client retries included. */
const SEND_CLAIM_MS = 60_000;
/** A notice that still cannot be delivered this long after it was recorded is dropped, with one log line. */
export const MAX_NOTICE_AGE_MS = 60 * 60_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 5 * 60_000;
const MAX_RACES = 8;

export interface DeliveryReport {
  sent: number;
  retried: number;
  dropped: number;
  /** The page of due notices was full: there may be more. */
  more: boolean;
}

/** A Slack call that did not answer in time. */
class TimedOut extends Error {}

/**
 * Delivers the notices that are due: Slack slow, down or rate-limiting delays them, never a state change. Each
 * notice is claimed before it is sent and marked sent after, so it goes out once as far as Slack allows.
 */
export async function deliverNotices(
  deps: AppDeps,
  options: { limit?: number; stopped?: () => boolean } = {},
): Promise<DeliveryReport> {
  const limit = options.limit ?? 100;
  await flushRefusalSummaries(deps);
  const due = await deps.store.dueNotices(deps.clock.now(), limit);
  const report: DeliveryReport = { sent: 0, retried: 0, dropped: 0, more: due.length >= limit };
  const grants = [...new Set(due.map((notice) => notice.grantId))];
  const worker = async () => {
    for (let grantId = grants.shift(); grantId && !options.stopped?.(); grantId = grants.shift()) {
      // A grant's notices go in the order they were recorded: one waiting for a retry holds up the later ones.
      for (const notice of await deps.store.noticesOf(grantId)) {
        if ((notice.dueAt ?? 0) > deps.clock.now()) break;
        const outcome = await deliverOne(deps, notice);
        if (outcome) report[outcome]++;
        if (outcome !== "sent" && outcome !== "dropped") break;
      }
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, worker));
  return report;
}

async function deliverOne(
  deps: AppDeps,
  notice: Notice,
): Promise<"sent" | "retried" | "dropped" | undefined> {
  const now = deps.clock.now();
  const claimed: Notice = {
    ...notice,
    dueAt: now + SEND_CLAIM_MS,
    attempts: notice.attempts + 1,
    version: notice.version + 1,
  };
  try {
    await deps.store.saveNotice(claimed, notice.version);
  } catch (error) {
    if (error instanceof NoticeChangedConcurrently) return undefined;
    throw error;
  }
  try {
    await within(send(deps, claimed), SEND_TIMEOUT_MS, () =>
      Promise.reject(new TimedOut(`no answer within ${SEND_TIMEOUT_MS} ms`)),
    );
    const sent: Notice = { ...claimed, state: "sent", version: claimed.version + 1 };
    delete sent.dueAt;
    await deps.store.saveNotice(sent, claimed.version);
    return "sent";
  } catch (error) {
    return giveBack(deps, claimed, error);
  }
}

async function giveBack(deps: AppDeps, claimed: Notice, error: unknown): Promise<"retried" | "dropped"> {
  const now = deps.clock.now();
  const lastError = describe(error);
  if (now - claimed.createdAt >= MAX_NOTICE_AGE_MS) {
    const dropped: Notice = { ...claimed, state: "dropped", lastError, version: claimed.version + 1 };
    delete dropped.dueAt;
    await deps.store.saveNotice(dropped, claimed.version);
    deps.log.error("slack: notice dropped after an hour of failures", {
      noticeId: claimed.id,
      grantId: claimed.grantId,
      kind: claimed.body.kind,
      attempts: claimed.attempts,
      error: lastError,
    });
    deps.metrics?.count("notice-dropped");
    return "dropped";
  }
  // A call that timed out may still land: not before the claim would have run out, so it is not sent twice.
  const floor = error instanceof TimedOut ? SEND_CLAIM_MS : 0;
  const wait = Math.max(
    floor,
    retryAfterMs(error),
    Math.min(FIRST_RETRY_MS * 2 ** (claimed.attempts - 1), MAX_RETRY_MS),
  );
  const retry: Notice = { ...claimed, dueAt: now + wait, lastError, version: claimed.version + 1 };
  await deps.store.saveNotice(retry, claimed.version);
  deps.log.warn("slack: notice not delivered; will retry", {
    noticeId: claimed.id,
    kind: claimed.body.kind,
    attempts: claimed.attempts,
    retryInMs: wait,
    error: lastError,
  });
  return "retried";
}

async function send(deps: AppDeps, notice: Notice): Promise<void> {
  const body = notice.body;
  switch (body.kind) {
    case "post-request":
      return postRequest(deps, notice, body.channel);
    case "update-request": {
      // The grant's earlier notices went first: no message now means its post was dropped; nothing to update.
      const latest = await deps.store.get(notice.grantId);
      if (!latest?.message && !latest?.requestId) return;
      await updateRequestMessage(deps, latest);
      return sendExtensionIfDropped(deps, latest);
    }
    case "dm": {
      const extras = requesterExtras(deps, notice.grant, body.notice);
      return deps.chat.notifyRequester(notice.grant, body.notice, deps.config, extras);
    }
    case "audit":
      return deps.chat.audit(body.channel, notice.grant, body.event);
    case "nudge":
      return sendNudge(deps, notice);
    case "extension":
      return sendExtension(deps, notice);
    case "home":
      return refreshHomes(deps, notice);
  }
}

/** Posts the approval request as the grant is now, then attaches the message to the grant. */
async function postRequest(deps: AppDeps, notice: Notice, channel: string): Promise<void> {
  const latest = (await deps.store.get(notice.grantId)) ?? notice.grant;
  if (latest.message) return;
  const parts = await partsShown(deps, latest);
  const ref = await deps.chat.postRequest(latest, channel, parts);
  let current = latest;
  for (let race = 0; ; race++) {
    // A change since the message was rendered re-renders it once attached.
    // So does a request of several parts: the other parts move on by themselves while the message has no ts.
    const changed = current.version !== latest.version || parts !== undefined;
    try {
      const attached = await apply(
        deps,
        current,
        { type: "attach-message", channel: ref.channel, ts: ref.ts },
        changed ? { announce: { message: true } } : {},
      );
      // A pending request now has a thread to remind its approvers in: wake it for that.
      if (attached.grant.dueAt !== current.dueAt) await planNext(deps, attached.grant);
      return;
    } catch (error) {
      if (!(error instanceof GrantChangedConcurrently) || race >= MAX_RACES) throw error;
      const fresh = error.current ?? (await deps.store.get(notice.grantId));
      if (!fresh) throw error;
      current = fresh;
    }
  }
}

function retryAfterMs(error: unknown): number {
  const seconds = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof seconds === "number" && seconds > 0 ? seconds * 1000 : 0;
}

function describe(error: unknown): string {
  if (error instanceof ServiceError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
