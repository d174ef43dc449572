import { Duration } from "luxon";
import type { Grant } from "../domain/grant.js";
import { extendStepSeconds, findRule } from "../domain/policy.js";
import type { AppDeps } from "./deps.js";
import type { IdentityCenter, NoticeExtras, RequesterNotice } from "./ports.js";
import { within } from "./within.js";

/** A permission set's session duration changes rarely: read once an hour. */
const SESSION_TTL_MS = 60 * 60_000;
/** A failed read is not asked again for this long, so activations are not held up by it twice. */
const FAILURE_TTL_MS = 60_000;

/** The DMs that say until when AWS sessions already issued may last. */
const TOLD: readonly RequesterNotice[] = ["granted", "extended", "expired", "revoked"];

interface Cached {
  /** The read, shared by every activation that asks while it is in flight. */
  read: Promise<{ seconds: number | undefined; failed: boolean }>;
  until: number;
}

const cacheByIdentity = new WeakMap<IdentityCenter, Map<string, Cached>>();

/**
 * What a requester's DM adds about sessions: the permission set's SessionDuration, since deleting an assignment
 * stops new sign-ins but not the sessions already issued from it. It is the one read when the grant was activated:
 * a DM never calls Identity Center, so on AWS only the engine holding the lease spends its request quota.
 */
function sessionExtras(grant: Grant, notice: RequesterNotice): NoticeExtras {
  if (!TOLD.includes(notice) || grant.sessionSeconds === undefined) return {};
  return { sessionSeconds: grant.sessionSeconds };
}

/** Longest an activation waits for a session-duration read still in flight; past it the DMs go without the time. */
const SESSION_WAIT_MS = 1_000;

/**
 * The permission set's session duration for a grant being activated (cached, from the same limiter), waiting at
 * most `SESSION_WAIT_MS`: past it the DMs go without the time rather than the activation waiting on Identity Center.
 */
export function sessionAtActivation(deps: AppDeps, arn: string): Promise<number | undefined> {
  return within(sessionSecondsOf(deps, arn), SESSION_WAIT_MS, () => undefined);
}

/** The permission set's session duration in seconds, cached; undefined when Identity Center cannot say. */
export async function sessionSecondsOf(deps: AppDeps, arn: string): Promise<number | undefined> {
  const describe = deps.identity.describePermissionSets?.bind(deps.identity);
  if (!describe) return undefined;
  let cache = cacheByIdentity.get(deps.identity);
  if (!cache) {
    cache = new Map();
    cacheByIdentity.set(deps.identity, cache);
  }
  const now = deps.clock.now();
  const hit = cache.get(arn);
  if (hit && hit.until > now) return (await hit.read).seconds;
  const entry: Cached = { read: readSeconds(deps, describe, arn), until: now + SESSION_TTL_MS };
  cache.set(arn, entry);
  const { seconds, failed } = await entry.read;
  if (failed) entry.until = Math.min(entry.until, deps.clock.now() + FAILURE_TTL_MS);
  return seconds;
}

/** One DescribePermissionSet: the session duration in seconds, or whether the read failed (logged). */
async function readSeconds(
  deps: AppDeps,
  describe: NonNullable<IdentityCenter["describePermissionSets"]>,
  arn: string,
): Promise<{ seconds: number | undefined; failed: boolean }> {
  try {
    const [found] = await describe([arn]);
    return { seconds: found?.found ? secondsOf(found.sessionDuration) : undefined, failed: false };
  } catch (error) {
    deps.log.warn("session duration not read; the DMs say sessions may outlast it without a time", {
      permissionSet: arn,
      error: String(error),
    });
    return { seconds: undefined, failed: true };
  }
}

function secondsOf(iso: string): number | undefined {
  const duration = Duration.fromISO(iso);
  const seconds = duration.isValid ? Math.round(duration.as("seconds")) : Number.NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** Everything a requester's DM says besides the event: sessions that outlast access, and the Extend button. */
export function requesterExtras(deps: AppDeps, grant: Grant, notice: RequesterNotice): NoticeExtras {
  const extras = sessionExtras(grant, notice);
  if (notice !== "reminder") return extras;
  const step = extendStepSeconds(findRule(deps.config, grant.rule), grant);
  return step > 0 ? { ...extras, extendBySeconds: step } : extras;
}
