import type { GrantStore } from "../../src/app/ports.js";
import type { IdentityCenterSimulator, SimOperation } from "../../src/sim/identity-center/index.js";
import { type DueGrant, OUTSTANDING_LIMIT, RATE_LIMIT, readGrants } from "./expiry-world.js";
import { type Row, type Summary, summarize } from "./stats.js";

/** What one mass-expiry run did, from the simulator's log and the store. */
export interface ExpiryFigures {
  grants: number;
  firstExpiry: number;
  lastExpiry: number;
  ended: number;
  /** Grants whose assignment was deleted (or whose end was recorded) before their expiry. */
  early: number;
  /** Grants still open or whose assignment is still there after the wait. */
  never: number;
  /** Seconds from expiry to the deletion landing at Identity Center (access really gone). */
  accessLag: Summary;
  /** Seconds from expiry to the grant recorded ended in DynamoDB. */
  recordLag: Summary;
  /** Seconds from the first expiry to the last grant recorded ended / the last deletion landing. */
  lastEndS: number;
  lastAccessEndS: number;
  deletionsPerSecond: number;
  deleteCalls: number;
  throttles: { rate: number; outstanding: number; injected: number };
  /** Throttled SSO Admin calls by operation, with the seconds after the first expiry of the first and last. */
  throttled: { byOperation: Record<string, number>; firstS: number; lastS: number };
  busy: {
    seconds: number;
    callsPerSecond: number;
    rateUse: number;
    outstanding: number;
    outstandingUse: number;
  };
  bound: {
    callsNeeded: number;
    callsS: number;
    opSeconds: number;
    opsS: number;
    binding: Binding;
    seconds: number;
  };
  /** Accepted SSO Admin calls from the first expiry to the last end, by operation. */
  byOperation: Record<string, number>;
}

export type Binding = "requests" | "outstanding" | "expiries";

/** Length of [a0, a1] within [b0, b1]. */
function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/**
 * Figures of one run. The physical bound is the larger of (calls needed ÷ 20/s), with one DeleteAccountAssignment
 * and one status read per grant as the least a revocation needs, and (the deletions' own Identity Center time,
 * summed ÷ 15 outstanding). The busy phase runs from the first DeleteAccountAssignment to the last.
 */
export async function expiryFigures(
  sim: IdentityCenterSimulator,
  store: GrantStore,
  seeded: readonly DueGrant[],
): Promise<ExpiryFigures> {
  const byUser = new Map(seeded.map((grant) => [grant.userId, grant]));
  const deletions = sim
    .operations()
    .filter((op) => op.kind === "deletion" && byUser.has(op.assignment.principalId));
  const landed = new Map<string, number>();
  const earlyIds = new Set<string>();
  for (const op of deletions) {
    const grant = byUser.get(op.assignment.principalId) as DueGrant;
    if (op.createdAt < grant.expiresAt) earlyIds.add(grant.id);
    if (op.status === "SUCCEEDED") landed.set(grant.id, op.createdAt + op.durationMs);
  }
  const stored = await readGrants(store, seeded);
  const endedAt = new Map<string, number>();
  for (const grant of stored) {
    if (grant.status === "ended" && grant.endedAt !== undefined) endedAt.set(grant.id, grant.endedAt);
  }
  const users = new Set(seeded.map((grant) => grant.userId));
  const present = new Set(
    sim
      .assignments()
      .filter((a) => a.principalType === "USER" && users.has(a.principalId))
      .map((a) => a.principalId),
  );
  for (const grant of seeded) {
    const end = endedAt.get(grant.id);
    if (end !== undefined && end < grant.expiresAt) earlyIds.add(grant.id);
  }
  const never = seeded.filter((grant) => !endedAt.has(grant.id) || present.has(grant.userId)).length;
  const firstExpiry = Math.min(...seeded.map((grant) => grant.expiresAt));
  const lastExpiry = Math.max(...seeded.map((grant) => grant.expiresAt));
  const accessLag = summarize(
    seeded.flatMap((grant) => {
      const at = landed.get(grant.id);
      return at === undefined ? [] : [(at - grant.expiresAt) / 1000];
    }),
  );
  const recordLag = summarize(
    seeded.flatMap((grant) => {
      const at = endedAt.get(grant.id);
      return at === undefined ? [] : [(at - grant.expiresAt) / 1000];
    }),
  );
  const lastEnd = Math.max(...endedAt.values());
  const lastLanding = Math.max(...landed.values());
  const calls = sim.calls().filter((call) => call.service === "sso-admin");
  const deleteCalls = calls.filter((call) => call.operation === "DeleteAccountAssignment");
  const okDeletes = deleteCalls.filter((call) => call.outcome === "ok");
  const busyFrom = Math.min(...okDeletes.map((call) => call.at));
  const busyTo = Math.max(...okDeletes.map((call) => call.at));
  const busyS = Math.max((busyTo - busyFrom) / 1000, 0.001);
  const okInBusy = calls.filter((call) => call.outcome === "ok" && call.at >= busyFrom && call.at <= busyTo);
  const opTime = (op: SimOperation) => overlap(op.createdAt, op.createdAt + op.durationMs, busyFrom, busyTo);
  const busyOpSeconds = deletions.reduce((sum, op) => sum + opTime(op), 0) / 1000;
  const opSeconds = deletions.reduce((sum, op) => sum + op.durationMs, 0) / 1000;
  const callsNeeded = 2 * seeded.length;
  const callsS = callsNeeded / RATE_LIMIT;
  const opsS = opSeconds / OUTSTANDING_LIMIT;
  // Nothing ends before it expires: when Identity Center could keep up, the spread of expiries is the bound.
  const spreadS = (lastExpiry - firstExpiry) / 1000;
  const binding: Binding =
    spreadS >= Math.max(callsS, opsS) ? "expiries" : callsS >= opsS ? "requests" : "outstanding";
  const byOperation: Record<string, number> = {};
  for (const call of calls) {
    if (call.outcome !== "ok" || call.at < firstExpiry || call.at > lastEnd) continue;
    byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
  }
  const stats = sim.stats();
  const throttledCalls = calls.filter((call) => call.outcome === "ThrottlingException");
  const throttledBy: Record<string, number> = {};
  for (const call of throttledCalls) throttledBy[call.operation] = (throttledBy[call.operation] ?? 0) + 1;
  const throttledAt = throttledCalls.map((call) => (call.at - firstExpiry) / 1000);
  return {
    grants: seeded.length,
    firstExpiry,
    lastExpiry,
    ended: endedAt.size,
    early: earlyIds.size,
    never,
    accessLag,
    recordLag,
    lastEndS: (lastEnd - firstExpiry) / 1000,
    lastAccessEndS: (lastLanding - firstExpiry) / 1000,
    deletionsPerSecond: landed.size / Math.max((lastLanding - busyFrom) / 1000, 0.001),
    deleteCalls: okDeletes.length,
    throttles: { ...stats.throttled },
    throttled: {
      byOperation: throttledBy,
      firstS: throttledAt.length > 0 ? Math.min(...throttledAt) : Number.NaN,
      lastS: throttledAt.length > 0 ? Math.max(...throttledAt) : Number.NaN,
    },
    busy: {
      seconds: busyS,
      callsPerSecond: okInBusy.length / busyS,
      rateUse: okInBusy.length / busyS / RATE_LIMIT,
      outstanding: busyOpSeconds / busyS,
      outstandingUse: busyOpSeconds / busyS / OUTSTANDING_LIMIT,
    },
    bound: {
      callsNeeded,
      callsS,
      opSeconds,
      opsS,
      binding,
      seconds: Math.max(callsS, opsS, spreadS),
    },
    byOperation,
  };
}

const pct = (value: number) => `${(value * 100).toFixed(0)}%`;
const secs = (value: number) => `${value.toFixed(1)} s`;

/** A judged row. */
export function judged(metric: string, value: string, target: string, pass: boolean): Row {
  return { metric, value, target, pass };
}

/** The rows of one run, every metric prefixed with its label. */
export function expiryRows(label: string, f: ExpiryFigures): Row[] {
  const throttles = f.throttles.rate + f.throttles.outstanding + f.throttles.injected;
  const use = f.bound.binding === "requests" ? f.busy.rateUse : f.busy.outstandingUse;
  const budget = f.bound.binding === "requests" ? "requests" : "outstanding";
  const share = f.bound.seconds > 0 ? f.lastEndS / f.bound.seconds : Number.NaN;
  const row = (metric: string, value: string): Row => ({ metric: `${label}: ${metric}`, value, target: "-" });
  return [
    row(
      "grants expiring (first to last expiry)",
      `${f.grants} in ${secs((f.lastExpiry - f.firstExpiry) / 1000)}`,
    ),
    row("deletions a second (first Delete to last landing)", f.deletionsPerSecond.toFixed(2)),
    row(
      "busy phase: SSO Admin calls a second",
      `${f.busy.callsPerSecond.toFixed(1)}/s = ${pct(f.busy.rateUse)} of 20 (${secs(f.busy.seconds)})`,
    ),
    row(
      "busy phase: operations outstanding at Identity Center",
      `${f.busy.outstanding.toFixed(1)} = ${pct(f.busy.outstandingUse)} of 15`,
    ),
    judged(`${label}: busy phase uses the binding budget (${budget})`, pct(use), ">=90%", use >= 0.9),
    judged(
      `${label}: throttles received (rate/outstanding/injected)`,
      `${throttles} (${f.throttles.rate}/${f.throttles.outstanding}/${f.throttles.injected})`,
      "0",
      throttles === 0,
    ),
    ...(throttles > 0
      ? [
          row(
            "throttled calls by operation (first / last, s after first expiry)",
            `${operationText(f.throttled.byOperation)} (${f.throttled.firstS.toFixed(0)} / ${f.throttled.lastS.toFixed(0)})`,
          ),
        ]
      : []),
    row("lag expiry -> access gone p50 / p99 / max", lagText(f.accessLag)),
    row("lag expiry -> grant ended p50 / p99 / max", lagText(f.recordLag)),
    judged(`${label}: grants revoked early`, String(f.early), "0", f.early === 0),
    judged(`${label}: grants never revoked`, String(f.never), "0", f.never === 0),
    row("DeleteAccountAssignment accepted", `${f.deleteCalls} for ${f.grants} grants`),
    row("physical bound: calls needed / 20 per s", `${f.bound.callsNeeded} / 20 = ${secs(f.bound.callsS)}`),
    row(
      "physical bound: operation-seconds / 15",
      `${f.bound.opSeconds.toFixed(0)} / 15 = ${secs(f.bound.opsS)}`,
    ),
    row("binding bound", `${f.bound.binding}: ${secs(f.bound.seconds)}`),
    row("last access gone, after the first expiry", secs(f.lastAccessEndS)),
    judged(
      `${label}: last grant ended, after the first expiry`,
      `${secs(f.lastEndS)} = ${pct(share)}`,
      "<=110% of bound",
      share <= 1.1,
    ),
    row("SSO Admin calls by operation (first expiry to last end)", operationText(f.byOperation)),
  ];
}

function lagText(summary: Summary): string {
  if (summary.count === 0) return "none";
  return `${secs(summary.p50)} / ${secs(summary.p99)} / ${secs(summary.max)}`;
}

export function operationText(counts: Record<string, number>): string {
  const short = (name: string) =>
    name
      .replace("AccountAssignment", "")
      .replace("CreationStatus", "CreateStatus")
      .replace("DeletionStatus", "DeleteStatus");
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${short(name)} ${count}`)
    .join(", ");
}
