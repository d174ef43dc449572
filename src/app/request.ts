import { resolveStart, type StartSpec } from "../domain/duration.js";
import type { AuditEvent, Grant } from "../domain/grant.js";
import { newGrantId, newRequestId } from "../domain/ids.js";
import { transition } from "../domain/lifecycle.js";
import { type Approved, type ApprovedParts, decideParts, timingsFor } from "../domain/policy.js";
import { reasonProblem } from "../domain/reason.js";
import { resolveRequester } from "./actors.js";
import type { AppDeps } from "./deps.js";
import { notice, requestNotices } from "./notices.js";
import { logEvent } from "./notify.js";
import type { NewGrant } from "./ports.js";
import { refuseAsAsked } from "./refusals.js";
import { planNext } from "./timing.js";

export interface Ask {
  /** One account alias, or several: each with each permission set is one part of the request. */
  account: string | readonly string[];
  /** One permission set name, or several. */
  permissionSet: string | readonly string[];
  durationSeconds?: number;
  /** When access should begin; at once when absent. */
  start?: StartSpec;
  reason: string;
}

/** What a request made: one grant per part, and the id linking them when there are several. */
export interface Requested {
  requestId?: string;
  grants: Grant[];
}

/** A request for access: checked against the rules, stored pending (or approved at once), posted for approval. */
export async function requestAccess(deps: AppDeps, actorSlackId: string, ask: Ask): Promise<Grant> {
  const { grants } = await submitRequest(deps, actorSlackId, ask);
  return grants[0] as Grant;
}

/**
 * A request of one or more (account, permission set) parts: every part is checked against its own first matching
 * rule, and any part refused refuses it all (nothing stored, nothing posted). Several parts are stored together as
 * grants linked by a request id, posted as one approval message and decided at once.
 */
export async function submitRequest(deps: AppDeps, actorSlackId: string, ask: Ask): Promise<Requested> {
  const accounts = typeof ask.account === "string" ? [ask.account] : [...ask.account];
  const permissionSets = typeof ask.permissionSet === "string" ? [ask.permissionSet] : [...ask.permissionSet];
  const reason = ask.reason.trim();
  const asked = { account: accounts.join(","), permissionSet: permissionSets.join(",") };
  const refuse = (message: string, detail: AuditEvent["detail"] = asked) =>
    refuseAsAsked(deps, actorSlackId, message, undefined, detail);
  const problem = reasonProblem(reason, { required: true });
  if (problem) return refuse(problem);
  const requester = await resolveRequester(deps, actorSlackId);
  const decision = decideParts(deps.config, requester, {
    accounts,
    permissionSets,
    ...(ask.durationSeconds === undefined ? {} : { durationSeconds: ask.durationSeconds }),
  });
  if (!decision.ok) return refuse(decision.message, { ...asked, code: decision.code });
  const now = deps.clock.now();
  const start = await startFor(deps, actorSlackId, ask.start, now);
  if (!start.ok) return refuse(start.error, { ...asked, code: "bad-start" });
  const requestId = decision.parts.length > 1 ? newRequestId() : undefined;
  const about: RequestAbout = {
    requester,
    reason,
    now,
    timeoutAt: now + timeoutSecondsOf(deps, decision) * 1000,
    ...(requestId ? { requestId } : {}),
    ...(start.at === undefined ? {} : { startsAt: start.at }),
  };
  const parts = decision.parts.map((part, n) => newPart(deps, actorSlackId, decision, part, n, about));
  const grants = await storeAndStart(deps, requestId, parts, now);
  return requestId ? { requestId, grants } : { grants };
}

/** What every part of one request shares. */
interface RequestAbout {
  requester: { slackId: string; email: string; userId: string };
  reason: string;
  now: number;
  timeoutAt: number;
  requestId?: string;
  startsAt?: number;
}

/** When access should begin, read in the requester's time zone; no moment when it begins at once. */
async function startFor(
  deps: AppDeps,
  actorSlackId: string,
  start: StartSpec | undefined,
  now: number,
): Promise<{ ok: true; at?: number } | { ok: false; error: string }> {
  if (!start) return { ok: true };
  const zone = (await deps.chat.user(actorSlackId)).tz;
  return resolveStart(start, now, zone);
}

/** One decision, so one time-out: the shortest of the parts' rules. */
function timeoutSecondsOf(deps: AppDeps, decision: ApprovedParts): number {
  return Math.min(...decision.parts.map((part) => timingsFor(deps.config, part.rule).requestTimeoutSeconds));
}

/** One part as a new grant: pending, or approved at once with the request; its audit trail and its posts. */
function newPart(
  deps: AppDeps,
  actorSlackId: string,
  decision: ApprovedParts,
  part: Approved,
  n: number,
  about: RequestAbout,
): NewGrant {
  const pending = pendingGrant(part, { id: (deps.newId ?? newGrantId)(), ...about });
  let grant = pending;
  const audit = [requestedEvent(actorSlackId, pending, decision, part, n, about)];
  if (decision.autoApprove) {
    const approved = transition(
      pending,
      { type: "auto-approve" },
      about.now,
      timingsFor(deps.config, part.rule),
    );
    grant = { ...approved.grant, version: 1 };
    if (approved.audit) audit.push(approved.audit);
  }
  // One approval message for the request, posted from its first part; every part goes to the audit channel.
  const notices =
    n === 0 ? requestNotices(deps, grant, decision.channel, audit) : auditNotices(deps, grant, audit);
  return { grant, audit, notices };
}

function requestedEvent(
  actorSlackId: string,
  pending: Grant,
  decision: ApprovedParts,
  part: Approved,
  n: number,
  about: RequestAbout,
): AuditEvent {
  const several = decision.parts.length > 1;
  const explanation = several ? `${part.explanation} ${decision.explanation}` : part.explanation;
  return {
    grantId: pending.id,
    at: about.now,
    actor: actorSlackId,
    type: "requested",
    status: "pending",
    reason: about.reason,
    detail: {
      rule: part.rule.name,
      durationSeconds: part.durationSeconds,
      explanation,
      ...(about.requestId ? { requestId: about.requestId, part: n + 1, parts: decision.parts.length } : {}),
      ...(about.startsAt === undefined ? {} : { startsAt: about.startsAt }),
    },
  };
}

/** Stores the parts (together when they are one request), logs their events, then starts or plans each grant. */
async function storeAndStart(
  deps: AppDeps,
  requestId: string | undefined,
  parts: NewGrant[],
  now: number,
): Promise<Grant[]> {
  if (requestId) await deps.store.createRequest(requestId, parts);
  else for (const { grant, audit, notices } of parts) await deps.store.create(grant, audit, notices);
  for (const { audit } of parts) for (const event of audit) logEvent(deps, event);
  await deps.notices.kick();
  const grants = parts.map((part) => part.grant);
  for (const grant of grants) {
    // Approved with a start ahead: the scheduler wakes it then, as it would for an expiry.
    if (grant.status === "provisioning" && (grant.dueAt ?? now) <= now) await deps.jobs.drive(grant.id);
    else await planNext(deps, grant);
  }
  return grants;
}

function pendingGrant(part: Approved, about: RequestAbout & { id: string }): Grant {
  const timeoutAt = about.timeoutAt;
  return {
    id: about.id,
    version: 1,
    status: "pending",
    requester: {
      slackId: about.requester.slackId,
      email: about.requester.email,
      userId: about.requester.userId,
    },
    account: part.account,
    permissionSet: part.permissionSet,
    rule: part.rule.name,
    reason: about.reason,
    durationSeconds: part.durationSeconds,
    // A part its rule grants at once needs no approval, but waits for the other parts' approvals.
    approvalsRequired: about.requestId && part.autoApprove ? 0 : part.approvalsRequired,
    allowSelfApproval: part.allowSelfApproval,
    approvals: [],
    createdAt: about.now,
    timeoutAt,
    dueAt: timeoutAt,
    ...(about.requestId ? { requestId: about.requestId } : {}),
    ...(about.startsAt === undefined ? {} : { startsAt: about.startsAt }),
  };
}

/** The audit-channel posts of a new grant that is not its request's first part. */
function auditNotices(deps: AppDeps, grant: Grant, audit: AuditEvent[]) {
  const channel = deps.config.slack.auditChannel;
  if (!channel) return [];
  const now = deps.clock.now();
  return audit.map((event, n) => notice(grant, n, { kind: "audit", channel, event }, now));
}
