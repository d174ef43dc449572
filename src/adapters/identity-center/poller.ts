import type { AccountAssignmentOperationStatus } from "@aws-sdk/client-sso-admin";
import { ServiceError } from "../../app/errors.js";
import type { Clock, Logger, OperationKind, OperationOutcome } from "../../app/ports.js";

/**
 * How requests are polled. Alone or in pairs, each request is described at `initialMs`, `2 × initialMs`, then with
 * doubling delays up to `maxMs`; from `batchFrom` awaited requests of a kind on, one List…Status(IN_PROGRESS) per
 * `tickMs` tells which are still running and only those that left IN_PROGRESS are described (once each).
 */
export interface PollPolicy {
  initialMs: number;
  maxMs: number;
  tickMs: number;
  /**
   * The tick while operations wait for an outstanding slot: a request is seen to leave IN_PROGRESS sooner, and its
   * slot is given back at once, so the 15 operations Identity Center allows stay busy.
   */
  busyTickMs: number;
  batchFrom: number;
  /** Longest one awaitOperation waits, whatever its `until`: a cap for callers without a deadline of their own. */
  timeoutMs: number;
}

/**
 * Operations take 1–3 s: one is described at 1.5 s and, if still running, at 3 s, so a lifecycle (existence check,
 * Create, its polls, Delete, its polls) costs 5 to 7 SSO Admin calls.
 */
export const DEFAULT_POLL: PollPolicy = {
  initialMs: 1_500,
  maxMs: 5_000,
  tickMs: 1_000,
  busyTickMs: 150,
  batchFrom: 3,
  timeoutMs: 300_000,
};

export interface PollerDeps {
  kind: OperationKind;
  clock: Clock;
  sleep(ms: number): Promise<void>;
  policy: PollPolicy;
  describe(requestId: string): Promise<AccountAssignmentOperationStatus>;
  listInProgress(): Promise<Set<string>>;
  /** Each time an await of `requestId` ends, whatever its outcome: the adapter gives back its slot. */
  onSettled(requestId: string): void;
  /** A List showed the request no longer IN_PROGRESS: Identity Center no longer counts it as outstanding. */
  onLeftInProgress?(requestId: string): void;
  /** Whether operations are waiting for an outstanding slot (then the busy tick applies). */
  slotsWanted?(): boolean;
  logger?: Logger;
}

interface Await {
  until: number;
  resolve(outcome: OperationOutcome): void;
  reject(error: unknown): void;
}

interface Waiter {
  requestId: string;
  /** Order of registration: a List started after it was registered must show it if it is still running. */
  seq: number;
  nextCheckAt: number;
  checks: number;
  /** A Describe of it is in flight. */
  checking: boolean;
  /** A List showed it IN_PROGRESS: once a later List no longer shows it, it has ended. */
  seenRunning: boolean;
  awaits: Await[];
}

/** A terminal status as the port's outcome; undefined while IN_PROGRESS. */
export function outcomeOf(requestId: string, status: AccountAssignmentOperationStatus) {
  if (status.Status === "SUCCEEDED") return { status: "succeeded" as const, requestId };
  if (status.Status === "FAILED") {
    return { status: "failed" as const, requestId, reason: status.FailureReason ?? "no reason given" };
  }
  return undefined;
}

const KNOWN_LIMIT = 10_000;

/** Polls the creations (or deletions) that callers await, sharing the calls between concurrent awaits. */
export class StatusPoller {
  private readonly waiters = new Map<string, Waiter>();
  private readonly known = new Map<string, OperationOutcome>();
  private seq = 0;
  private lastListAt = Number.NEGATIVE_INFINITY;
  private running = false;
  private batching = true;
  private wake?: () => void;

  constructor(private readonly deps: PollerDeps) {}

  /** Requests being awaited now. */
  get awaited(): number {
    return this.waiters.size;
  }

  isAwaiting(requestId: string): boolean {
    return this.waiters.has(requestId);
  }

  /** Whether the request's outcome is already known (no call needed to await it). */
  knows(requestId: string): boolean {
    return this.known.has(requestId);
  }

  /** Remembers an outcome Identity Center already gave (e.g. in the Create answer). */
  remember(outcome: OperationOutcome): void {
    if (outcome.status === "in-progress") return;
    this.known.set(outcome.requestId, outcome);
    if (this.known.size > KNOWN_LIMIT) this.known.delete(this.known.keys().next().value ?? "");
  }

  async wait(requestId: string, until: number): Promise<OperationOutcome> {
    const now = this.deps.clock.now();
    const known = this.known.get(requestId);
    if (known) {
      this.deps.onSettled(requestId);
      return known;
    }
    if (until <= now) return this.once(requestId);
    const capped = Math.min(until, now + this.deps.policy.timeoutMs);
    return new Promise((resolve, reject) => {
      let waiter = this.waiters.get(requestId);
      if (!waiter) {
        waiter = {
          requestId,
          seq: this.seq++,
          nextCheckAt: now + this.deps.policy.initialMs,
          checks: 0,
          checking: false,
          seenRunning: false,
          awaits: [],
        };
        this.waiters.set(requestId, waiter);
      }
      waiter.awaits.push({ until: capped, resolve, reject });
      this.kick();
    });
  }

  /**
   * A caller whose deadline has passed still gets one look. While others await the request, its slot stays theirs:
   * the poller gives it back when their awaits end.
   */
  private async once(requestId: string): Promise<OperationOutcome> {
    try {
      const outcome = outcomeOf(requestId, await this.deps.describe(requestId));
      if (outcome) this.remember(outcome);
      return outcome ?? { status: "in-progress", requestId };
    } finally {
      if (!this.waiters.has(requestId)) this.deps.onSettled(requestId);
    }
  }

  private kick(): void {
    if (this.running) {
      this.wake?.();
      return;
    }
    this.running = true;
    void this.loop()
      .catch((error: unknown) => this.deps.logger?.error("status polling stopped", { error: String(error) }))
      .finally(() => {
        this.running = false;
        if (this.waiters.size > 0) this.kick();
      });
  }

  private async loop(): Promise<void> {
    while (this.waiters.size > 0) {
      const now = this.deps.clock.now();
      this.expire(now);
      if (this.waiters.size === 0) return;
      const all = [...this.waiters.values()];
      const firstDue = Math.min(...all.filter((w) => !w.checking).map((w) => w.nextCheckAt));
      const batched = this.batching && all.length >= this.deps.policy.batchFrom;
      const checkAt = batched ? Math.max(this.lastListAt + this.tick(), firstDue) : firstDue;
      const deadline = Math.min(...all.flatMap((w) => w.awaits.map((a) => a.until)));
      const at = Math.min(checkAt, deadline);
      if (at > now) await this.nap(at - now);
      else if (batched) await this.batch();
      else
        await Promise.all(all.filter((w) => w.nextCheckAt <= now && !w.checking).map((w) => this.check(w)));
    }
  }

  private tick(): number {
    return this.deps.slotsWanted?.() ? this.deps.policy.busyTickMs : this.deps.policy.tickMs;
  }

  /** Sleeps `ms`, or until woken; with nothing timed to wait for (every waiter's Describe in flight), until woken. */
  private nap(ms: number): Promise<void> {
    const woken = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    const naps = Number.isFinite(ms) ? [this.deps.sleep(ms), woken] : [woken];
    return Promise.race(naps).finally(() => {
      this.wake = undefined;
    });
  }

  /**
   * Resolves every await whose deadline has come as still in progress. A waiter left with no await is dropped, and
   * its slot given back, once no Describe of it is in flight: a new await of the same request joins it meanwhile.
   */
  private expire(now: number): void {
    for (const waiter of [...this.waiters.values()]) {
      const [due, rest] = partition(waiter.awaits, (a) => a.until <= now);
      waiter.awaits = rest;
      for (const a of due) a.resolve({ status: "in-progress", requestId: waiter.requestId });
      if (rest.length === 0 && !waiter.checking) this.drop(waiter);
    }
  }

  /** Forgets a waiter that nobody awaits any more and gives back its slot. */
  private drop(waiter: Waiter): void {
    if (this.waiters.get(waiter.requestId) !== waiter) return;
    this.waiters.delete(waiter.requestId);
    this.deps.onSettled(waiter.requestId);
  }

  /** One List…Status for the whole kind; only requests it no longer shows are described. */
  private async batch(): Promise<void> {
    const seqAtStart = this.seq;
    const startedAt = this.deps.clock.now();
    let running: Set<string>;
    try {
      running = await this.deps.listInProgress();
    } catch (error) {
      this.lastListAt = startedAt;
      if (error instanceof ServiceError && !error.retryable) {
        this.batching = false;
        this.deps.logger?.warn("List…Status refused; polling each request on its own", {
          kind: this.deps.kind,
          error: String(error),
        });
      }
      return;
    }
    this.lastListAt = startedAt;
    const now = this.deps.clock.now();
    const tick = this.tick();
    const left: Waiter[] = [];
    for (const waiter of this.waiters.values()) {
      if (waiter.seq >= seqAtStart || waiter.checking) continue;
      if (running.has(waiter.requestId)) {
        waiter.seenRunning = true;
        waiter.nextCheckAt = Math.max(waiter.nextCheckAt, now + tick);
      } else left.push(waiter);
    }
    // Shown IN_PROGRESS by an earlier List and not by this one: ended, so its slot is free before its outcome is
    // read. One never shown yet keeps its slot until a Describe says how it ended (a List may lag behind a Create).
    for (const waiter of left) if (waiter.seenRunning) this.deps.onLeftInProgress?.(waiter.requestId);
    // Outcomes are read meanwhile: the next List keeps its tick whatever the Describes wait for.
    for (const waiter of left) void this.check(waiter);
  }

  /** One Describe; wakes the loop when it is done, as the waiter may need another look or may be gone. */
  private async check(waiter: Waiter): Promise<void> {
    waiter.checking = true;
    try {
      await this.describeOnce(waiter);
    } finally {
      waiter.checking = false;
      // Every await of it lapsed while the Describe was out, and the outcome is not known yet.
      if (waiter.awaits.length === 0) this.drop(waiter);
      this.wake?.();
    }
  }

  private async describeOnce(waiter: Waiter): Promise<void> {
    let status: AccountAssignmentOperationStatus;
    try {
      status = await this.deps.describe(waiter.requestId);
    } catch (error) {
      if (error instanceof ServiceError && error.retryable) {
        this.deps.logger?.warn("status poll failed; trying again", { requestId: waiter.requestId });
        this.backOff(waiter);
        return;
      }
      this.fail(waiter, error);
      return;
    }
    const outcome = outcomeOf(waiter.requestId, status);
    if (outcome) this.settle(waiter, outcome);
    else this.backOff(waiter);
  }

  private backOff(waiter: Waiter): void {
    waiter.checks += 1;
    const { initialMs, maxMs } = this.deps.policy;
    waiter.nextCheckAt = this.deps.clock.now() + Math.min(maxMs, initialMs * 2 ** (waiter.checks - 1));
  }

  private settle(waiter: Waiter, outcome: OperationOutcome): void {
    this.remember(outcome);
    const awaits = waiter.awaits;
    waiter.awaits = [];
    this.drop(waiter);
    for (const a of awaits) a.resolve(outcome);
  }

  private fail(waiter: Waiter, error: unknown): void {
    const awaits = waiter.awaits;
    waiter.awaits = [];
    this.drop(waiter);
    for (const a of awaits) a.reject(error);
  }
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
