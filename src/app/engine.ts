import { LeaseChangedConcurrently } from "../domain/errors.js";
import type { AppDeps } from "./deps.js";
import { DriveQueue } from "./drive-queue.js";
import type { Lease, LeaseStore } from "./ports.js";
import { driveGrant, laneOf } from "./sweep.js";

/** The one lease every Lambda instance that drives grants competes for. */
export const ENGINE_LEASE = "expiry-engine";

export interface EngineOptions {
  leases: LeaseStore;
  /** Who this invocation is, for the lease (unique per invocation). */
  holder: string;
  /** Epoch ms by which this invocation must have let go: its own timeout less a margin. */
  deadline: number;
  /** A grant this invocation was woken for: if another instance holds the lease, wait until it is covered. */
  grantId?: string;
  /** How far ahead the engine looks: past the latest a wake-up or sweep may fire. Default 2 minutes. */
  lookaheadMs?: number;
  /** The lease lapses this long after its last renewal. Default 20 s. */
  leaseMs?: number;
  /** How often the due index is read while holding the lease. Default 1 s. */
  pollMs?: number;
  /** How long a holder that found nothing to do waits, announced as closing, before it lets go. Default 2 s. */
  settleMs?: number;
  /** Grants driven at once; Identity Center's quotas are kept by the adapter. Default 32. */
  parallel?: number;
  /**
   * Called when the deadline stops this invocation with grants still due: starts the next one at once (on Lambda,
   * an asynchronous invocation of the revoker), so a backlog never waits for the next minute's sweep.
   */
  continueLater?: () => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

export interface EngineReport {
  /** Whether this invocation held the lease and drove grants. */
  held: boolean;
  /** Distinct grants it handed to its drivers (each due grant is seen again at every read of the index). */
  driven: number;
  errors: number;
  /** Why it stopped: idle, deadline, lease lost, or covered by another holder. */
  stopped: "idle" | "deadline" | "lease-lost" | "covered" | "nothing-due";
}

const STOP_BEFORE_DEADLINE_MS = 5_000;
/**
 * Grants are no longer started this long before the drives' own deadline, so the operations in flight end in this
 * invocation instead of being handed over while Identity Center still counts them against its 15.
 */
const DRAIN_MS = 10_000;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The Lambda expiry engine: one instance at a time holds a lease in DynamoDB and drives every grant that falls
 * due, expiries first, with Identity Center's whole budget (the adapter's limiter in this one process keeps the
 * quotas, however many instances Lambda runs). It reads the due index every second with a lookahead, so a grant
 * woken a minute early is driven to the second, and lets go only after a settle period in which it announces that
 * it is closing. An instance woken for a grant while another holds the lease stays until the grant is handled or
 * is in the holder's backlog, and takes the lease over if the holder stops renewing it.
 */
export async function runEngine(deps: AppDeps, options: EngineOptions): Promise<EngineReport> {
  const o = withDefaults(options);
  let lease = await acquire(deps, o);
  if (!lease) {
    if (!o.grantId) return { held: false, driven: 0, errors: 0, stopped: "covered" };
    const outcome = await waitForCover(deps, o, o.grantId);
    if (outcome !== "acquired") return { held: false, driven: 0, errors: 0, stopped: outcome };
    lease = await acquire(deps, o);
    if (!lease) return { held: false, driven: 0, errors: 0, stopped: "covered" };
  }
  return drive(deps, o, lease);
}

type Options = Required<Omit<EngineOptions, "grantId" | "continueLater">> &
  Pick<EngineOptions, "grantId" | "continueLater">;

function withDefaults(options: EngineOptions): Options {
  return {
    lookaheadMs: 120_000,
    leaseMs: 20_000,
    pollMs: 1_000,
    settleMs: 2_000,
    parallel: 32,
    sleep: realSleep,
    ...options,
  };
}

/** Takes the lease when nobody holds it or its holder stopped renewing it. */
async function acquire(deps: AppDeps, o: Options): Promise<Lease | undefined> {
  const now = deps.clock.now();
  const current = await o.leases.readLease(ENGINE_LEASE);
  if (current && current.until > now && current.holder !== o.holder) return undefined;
  const next: Lease = {
    name: ENGINE_LEASE,
    holder: o.holder,
    until: now + o.leaseMs,
    horizon: now + o.lookaheadMs,
    closing: false,
    version: (current?.version ?? 0) + 1,
  };
  try {
    await o.leases.writeLease(next, current?.version);
    return next;
  } catch (error) {
    if (error instanceof LeaseChangedConcurrently) return undefined;
    throw error;
  }
}

/** A holder that has not reached a grant this long after it fell due has it in its backlog. */
const COVER_GRACE_MS = 15_000;

/**
 * Waits while a live holder covers the grant: until the grant is handled, or until it has been due a while and
 * the holder still renews (a backlog it will work off); "acquired" as soon as the lease lapses (a holder died).
 */
async function waitForCover(
  deps: AppDeps,
  o: Options,
  grantId: string,
): Promise<"acquired" | "covered" | "nothing-due" | "deadline"> {
  let firstDue: number | undefined;
  let firstVersion: number | undefined;
  for (;;) {
    const now = deps.clock.now();
    if (now >= o.deadline - STOP_BEFORE_DEADLINE_MS) return "deadline";
    const grant = await deps.store.get(grantId);
    if (grant?.dueAt === undefined || grant.dueAt > now + o.lookaheadMs) return "nothing-due";
    firstDue ??= Math.max(grant.dueAt, now);
    const lease = await o.leases.readLease(ENGINE_LEASE);
    if (lease === undefined || lease.until <= now) return "acquired";
    firstVersion ??= lease.version;
    // Seen renewing since, and given time to reach the grant: the holder lives and has it in its backlog.
    const renewing = lease.version > firstVersion && !lease.closing;
    if (renewing && lease.horizon >= firstDue && now >= firstDue + COVER_GRACE_MS) return "covered";
    await o.sleep(o.pollMs);
  }
}

async function drive(deps: AppDeps, o: Options, held: Lease): Promise<EngineReport> {
  let lease = held;
  const driveBefore = o.deadline - STOP_BEFORE_DEADLINE_MS;
  const takeBefore = driveBefore - DRAIN_MS;
  const queue = new DriveQueue((id) => driveGrant(deps, id, { deadline: driveBefore }), o.parallel);
  const seen = new Set<string>();
  let stopped: EngineReport["stopped"] = "idle";
  try {
    for (;;) {
      const now = deps.clock.now();
      if (now >= takeBefore) {
        stopped = "deadline";
        break;
      }
      const renewed = await renew(deps, o, lease, false);
      if (!renewed) {
        stopped = "lease-lost";
        break;
      }
      lease = renewed;
      // With a backlog of its own, the engine reads only the grants due first, not the whole index every second.
      const { due, soon } = await scan(deps, o, Math.max(o.parallel * 4 - queue.size, 1));
      for (const grant of due) {
        seen.add(grant.id);
        queue.submit(grant.id, laneOf(grant, now));
      }
      if (due.length === 0 && soon === 0 && queue.size === 0) {
        const closed = await settle(deps, o, lease);
        if (closed === "released") {
          return { held: true, driven: seen.size, errors: queue.failed, stopped: "idle" };
        }
        if (closed === "lost") {
          stopped = "lease-lost";
          break;
        }
        lease = closed;
        continue;
      }
      await o.sleep(o.pollMs);
    }
  } finally {
    queue.stop();
    await queue.idle();
  }
  if (stopped !== "lease-lost") await release(deps, o, lease);
  if (stopped === "deadline" && o.continueLater) {
    const { due, soon } = await scan(deps, o, 1);
    if (due.length > 0 || soon > 0) await o.continueLater();
  }
  return { held: true, driven: seen.size, errors: queue.failed, stopped };
}

/**
 * Grants due now (to drive), earliest first, and how many more fall due within the lookahead; pages stop once
 * `room` due grants are read, and pages left unread count as more to come.
 */
async function scan(deps: AppDeps, o: Options, room = Number.POSITIVE_INFINITY) {
  const now = deps.clock.now();
  const due = [];
  let soon = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.due(now + o.lookaheadMs, cursor, 100);
    cursor = page.cursor;
    for (const grant of page.items) {
      if ((grant.dueAt ?? 0) <= now) due.push(grant);
      else soon++;
    }
  } while (cursor && due.length < room);
  return { due, soon: cursor ? soon + 1 : soon };
}

async function renew(deps: AppDeps, o: Options, lease: Lease, closing: boolean): Promise<Lease | undefined> {
  const now = deps.clock.now();
  const next: Lease = {
    ...lease,
    until: now + o.leaseMs,
    horizon: closing ? lease.horizon : now + o.lookaheadMs,
    closing,
    version: lease.version + 1,
  };
  try {
    await o.leases.writeLease(next, lease.version);
    return next;
  } catch (error) {
    if (error instanceof LeaseChangedConcurrently) return undefined;
    throw error;
  }
}

/**
 * Nothing to do: announce closing, wait for late writes to reach the index, look once more; let go only if
 * still nothing falls due within the lookahead.
 */
async function settle(deps: AppDeps, o: Options, lease: Lease): Promise<Lease | "released" | "lost"> {
  const closing = await renew(deps, o, lease, true);
  if (!closing) return "lost";
  await o.sleep(o.settleMs);
  const { due, soon } = await scan(deps, o);
  if (due.length > 0 || soon > 0) return (await renew(deps, o, closing, false)) ?? "lost";
  await release(deps, o, closing);
  return "released";
}

async function release(deps: AppDeps, o: Options, lease: Lease): Promise<void> {
  const released: Lease = { ...lease, until: 0, closing: true, version: lease.version + 1 };
  try {
    await o.leases.writeLease(released, lease.version);
  } catch (error) {
    deps.log.warn("engine: lease not released; it lapses by itself", { error: String(error) });
  }
}
