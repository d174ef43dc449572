import { randomBytes } from "node:crypto";
import type { AssignmentTuple, AuditEvent, Grant } from "../domain/grant.js";
import type { GrantEvent } from "../domain/lifecycle.js";
import { transition } from "../domain/lifecycle.js";
import { timingsFor } from "../domain/policy.js";
import type { AppDeps } from "./deps.js";
import { metricOf } from "./metrics.js";
import { type Announce, noticesFor } from "./notices.js";
import { logEvent } from "./notify.js";
import type { GrantChange, Notice } from "./ports.js";

export interface ApplyOptions {
  /** Written in the same transaction; `expectVersion` undefined means the tuple must not exist yet. */
  tuple?: { next: AssignmentTuple; expectVersion: number | undefined };
  /** Who hears of the change; the notices are recorded in the same transaction. */
  announce?: Announce;
}

export interface Applied {
  grant: Grant;
  audit?: AuditEvent;
  notices: Notice[];
}

/** Names one write, the same on every retry of it: the grant, the version it writes, and a nonce. */
export function changeToken(grant: Grant): string {
  return `${grant.id}-${grant.version}-${randomBytes(8).toString("hex")}`.slice(0, 36);
}

/**
 * Applies an event and writes it conditionally, with its audit event, notices and optional tuple, in one
 * idempotent transaction; then logs it, counts it and wakes the notice sender.
 */
export async function apply(
  deps: AppDeps,
  grant: Grant,
  event: GrantEvent,
  options: ApplyOptions = {},
): Promise<Applied> {
  const now = deps.clock.now();
  const result = transition(grant, event, now, timingsFor(deps.config, grant.rule));
  const notices = options.announce ? noticesFor(deps, result.grant, result.audit, options.announce) : [];
  await deps.store.save({
    grant: result.grant,
    expect: { status: grant.status, version: grant.version },
    audit: result.audit ? [result.audit] : [],
    notices,
    token: changeToken(result.grant),
    ...(options.tuple ? { tuple: options.tuple } : {}),
  });
  logEvent(deps, result.audit);
  const metric = result.audit ? metricOf(result.audit) : undefined;
  if (metric) deps.metrics?.count(metric);
  if (notices.length > 0) await deps.notices.kick();
  return { ...result, notices };
}

/** One event for one grant among several written together. */
export interface Step {
  grant: Grant;
  event: GrantEvent;
  announce?: Announce;
}

/**
 * Applies one event to each of several grants (a request's parts, decided at once) and writes them in one
 * transaction: all of them or none, each conditional on the grant as it was read, as is each `unchanged` grant
 * (the parts this decision leaves as they are, which it was made on).
 */
export async function applyAll(
  deps: AppDeps,
  steps: readonly Step[],
  unchanged: readonly Grant[] = [],
): Promise<Applied[]> {
  const now = deps.clock.now();
  const applied = steps.map(({ grant, event, announce }) => {
    const result = transition(grant, event, now, timingsFor(deps.config, grant.rule));
    const notices = announce ? noticesFor(deps, result.grant, result.audit, announce) : [];
    const change: GrantChange = {
      grant: result.grant,
      expect: { status: grant.status, version: grant.version },
      audit: result.audit ? [result.audit] : [],
      notices,
      token: changeToken(result.grant),
    };
    return { result: { ...result, notices }, change };
  });
  const reads = unchanged.map(({ id, status, version }) => ({ id, status, version }));
  await deps.store.saveAll(
    applied.map(({ change }) => change),
    reads,
  );
  for (const { result } of applied) {
    logEvent(deps, result.audit);
    const metric = result.audit ? metricOf(result.audit) : undefined;
    if (metric) deps.metrics?.count(metric);
  }
  if (applied.some(({ result }) => result.notices.length > 0)) await deps.notices.kick();
  return applied.map(({ result }) => result);
}
