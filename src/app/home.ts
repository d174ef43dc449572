import type { Rule } from "../domain/config.js";
import { type Grant, TERMINAL_STATUSES } from "../domain/grant.js";
import { extendStepSeconds, findRule, mayApprove, mayRevoke } from "../domain/policy.js";
import { type ResolvedActor, resolveActor } from "./actors.js";
import type { AppDeps } from "./deps.js";
import { approverEmails } from "./nudge.js";
import type { HomeContent, Notice } from "./ports.js";

/** Open grants read for the approvers' part of the tab: the due index, page by page, at most this many. */
const MAX_OPEN = 1_000;
/** People of a rule's approver groups whose tabs a change refreshes. */
const MAX_APPROVERS_REFRESHED = 50;
/** How long the Slack ids of a rule's approvers are reused. */
const APPROVERS_TTL_MS = 5 * 60_000;

/** Per process, by Chat adapter: when each person's tab was last published, and rules' approvers. */
const publishedByChat = new WeakMap<object, Map<string, number>>();
const approversByChat = new WeakMap<object, Map<string, { slackIds: string[]; until: number }>>();

/**
 * Publishes one person's Home tab as the store has it now; `notice` tells them how their last click went.
 * `open` passes the open grants when several tabs are published at once.
 */
export async function publishHome(
  deps: AppDeps,
  viewer: string,
  options: { notice?: string; open?: Grant[] } = {},
): Promise<void> {
  if (!deps.chat.publishHome) return;
  mapOf(publishedByChat, deps.chat).set(viewer, deps.clock.now());
  const content = await homeFor(deps, viewer, options.open ?? (await openGrants(deps)));
  if (options.notice) content.notice = options.notice;
  await deps.chat.publishHome(viewer, content);
}

/** What one person's tab shows: their open grants, and what they may decide or end under the rules. */
export async function homeFor(deps: AppDeps, viewer: string, open: Grant[]): Promise<HomeContent> {
  const mine = (await deps.store.byRequester(viewer, 50)).filter(
    (g) => !TERMINAL_STATUSES.includes(g.status),
  );
  const extendBy: Record<string, number> = {};
  for (const grant of mine) {
    const step = extendStepSeconds(findRule(deps.config, grant.rule), grant);
    if (step > 0) extendBy[grant.id] = step;
  }
  const content: HomeContent = {
    viewer,
    mine,
    toApprove: [],
    extensionsToApprove: [],
    revocable: [],
    extendBy,
  };
  const actor = await resolveActor(deps, viewer, { audit: false }).catch(() => undefined);
  if (!actor) return content;
  const now = deps.clock.now();
  for (const grant of open) {
    const rule = findRule(deps.config, grant.rule);
    if (!rule?.approvers) continue;
    if (grant.status === "pending" && grant.timeoutAt > now && may(rule, grant, actor, grant.approvals)) {
      content.toApprove.push(grant);
    }
    if (grant.status !== "active") continue;
    const waiting = grant.extension?.status === "pending" ? grant.extension : undefined;
    if (waiting && waiting.by !== viewer && may(rule, grant, actor, waiting.approvals)) {
      content.extensionsToApprove.push(grant);
    }
    if (grant.requester.slackId !== viewer && mayRevoke(rule, grant.requester, actor).ok) {
      content.revocable.push(grant);
    }
  }
  return content;
}

/**
 * Delivers a home notice: republishes the tab of everyone the grant concerns. A later home notice of the same grant
 * covers this one, and a tab published since the change was recorded already shows it: both are skipped.
 */
export async function refreshHomes(deps: AppDeps, notice: Notice): Promise<void> {
  if (!deps.chat.publishHome) return;
  const queued = await deps.store.noticesOf(notice.grantId);
  const at = queued.findIndex((n) => n.id === notice.id);
  if (at >= 0 && queued.slice(at + 1).some((n) => n.body.kind === "home")) return;
  const grant = (await deps.store.get(notice.grantId)) ?? notice.grant;
  const published = mapOf(publishedByChat, deps.chat);
  const people = (await concernedBy(deps, grant)).filter(
    (person) => (published.get(person) ?? Number.NEGATIVE_INFINITY) <= notice.createdAt,
  );
  if (people.length === 0) return;
  const open = await openGrants(deps);
  let failure: unknown;
  for (const person of people) {
    try {
      await publishHome(deps, person, { open });
    } catch (error) {
      failure ??= error;
      published.delete(person);
    }
  }
  if (failure !== undefined) throw failure;
}

/** The requester, whoever acted on the grant, and the approvers of its rule (who see it as theirs to decide). */
export async function concernedBy(deps: AppDeps, grant: Grant): Promise<string[]> {
  const people = new Set<string>([grant.requester.slackId]);
  for (const approval of grant.approvals) people.add(approval.slackId);
  for (const approval of grant.extension?.approvals ?? []) people.add(approval.slackId);
  for (const actor of [grant.decidedBy, grant.extension?.by, grant.extension?.decidedBy]) {
    if (actor && /^[UW]/.test(actor)) people.add(actor);
  }
  const rule = findRule(deps.config, grant.rule);
  if (rule) for (const slackId of await approverSlackIds(deps, rule)) people.add(slackId);
  return [...people];
}

/** Grants that are not over (the due index holds exactly those), oldest due first. */
export async function openGrants(deps: AppDeps): Promise<Grant[]> {
  const grants: Grant[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.due(Number.MAX_SAFE_INTEGER, cursor, 100);
    grants.push(...page.items.filter((g) => !TERMINAL_STATUSES.includes(g.status)));
    cursor = page.cursor;
  } while (cursor && grants.length < MAX_OPEN);
  return grants;
}

/** Slack ids of a rule's approvers (listed emails and group members), cached for a few minutes. */
async function approverSlackIds(deps: AppDeps, rule: Rule): Promise<string[]> {
  const cache = mapOf(approversByChat, deps.chat);
  const now = deps.clock.now();
  const hit = cache.get(rule.name);
  if (hit && hit.until > now) return hit.slackIds;
  const slackIds: string[] = [];
  for (const email of (await approverEmails(deps, rule, MAX_APPROVERS_REFRESHED)).slice(
    0,
    MAX_APPROVERS_REFRESHED,
  )) {
    const slackId = await deps.chat.userIdByEmail?.(email).catch(() => undefined);
    if (slackId && !slackIds.includes(slackId)) slackIds.push(slackId);
  }
  cache.set(rule.name, { slackIds, until: now + APPROVERS_TTL_MS });
  return slackIds;
}

function may(rule: Rule, grant: Grant, actor: ResolvedActor, approvals: Grant["approvals"]): boolean {
  return mayApprove(rule, grant.requester, actor, approvals).ok;
}

function mapOf<V>(maps: WeakMap<object, Map<string, V>>, key: object): Map<string, V> {
  let map = maps.get(key);
  if (!map) {
    map = new Map();
    maps.set(key, map);
  }
  return map;
}
