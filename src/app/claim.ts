import { GrantChangedConcurrently } from "../domain/errors.js";
import type { Grant, GrantOperation } from "../domain/grant.js";
import type { GrantEvent } from "../domain/lifecycle.js";
import { type AppDeps, type Timings, timingsOf } from "./deps.js";
import { IntentTooSlow } from "./errors.js";
import type { SendOptions } from "./ports.js";
import { type Applied, type ApplyOptions, apply } from "./write.js";

/**
 * A grant this driver has claimed: every write goes through it, one after another, and the claim is renewed
 * while the driver waits on Identity Center, so however slow an operation is nobody else takes the grant over
 * (and sends a second request) while this driver lives. When it dies, the claim lapses within `claimMs`.
 */
export class Held {
  private writing: Promise<unknown> = Promise.resolve();
  private lost = false;
  /** A write has handed the grant on (a retry planned, the next driver let in): the claim is not renewed after it. */
  private handedOff = false;

  private constructor(
    private readonly deps: AppDeps,
    private current: Grant,
    /** The operation an earlier driver recorded: a request may already have been sent for it. */
    readonly inherited: GrantOperation | undefined,
  ) {}

  /** Claims the grant (a conditional write: exactly one of several drivers wins, the others get a race error). */
  static async take(deps: AppDeps, grant: Grant): Promise<Held> {
    const { claimMs } = timingsOf(deps);
    const { grant: claimed } = await apply(deps, grant, { type: "claim", until: deps.clock.now() + claimMs });
    return new Held(deps, claimed, grant.op);
  }

  get grant(): Grant {
    return this.current;
  }

  /** Writes the next change, after any renewal in flight; fails once another writer has taken the grant. */
  write(event: GrantEvent, options: ApplyOptions = {}): Promise<Applied> {
    return this.queue(() => this.applyNow(event, options));
  }

  /**
   * Writes a change that hands the grant on: a retry at a later time, or the next driver let in at once. No renewal
   * runs after it, so the time it sets stays as it is.
   */
  handOff(
    event: Extract<GrantEvent, { type: "claim" | "retry-later" }>,
    options: ApplyOptions = {},
  ): Promise<Applied> {
    this.handedOff = true;
    return this.write(event, options);
  }

  /** This driver's time is up: the next one may take the grant at once and poll the same request. */
  async letNextIn(): Promise<Grant> {
    return (await this.handOff({ type: "claim", until: this.deps.clock.now() })).grant;
  }

  /**
   * Renews the claim when its turn comes, for `claimMs` from then; by then the write before it may have ended the
   * grant or handed it on, and there is nothing left to renew.
   */
  private renew(claimMs: number): Promise<unknown> {
    return this.queue(async () => {
      if (!this.renewable()) return;
      await this.applyNow({ type: "claim", until: this.deps.clock.now() + claimMs }, {});
    });
  }

  /** Runs `write` after the writes before it, whatever their outcome. */
  private queue<T>(write: () => Promise<T>): Promise<T> {
    const next = this.writing.then(write);
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async applyNow(event: GrantEvent, options: ApplyOptions): Promise<Applied> {
    for (let race = 0; ; race++) {
      if (this.lost) throw new GrantChangedConcurrently(this.current.id, undefined);
      try {
        const result = await apply(this.deps, this.current, event, options);
        this.current = result.grant;
        return result;
      } catch (error) {
        if (!(error instanceof GrantChangedConcurrently)) throw error;
        // Bookkeeping by someone else (the sender attaching the approval message) leaves the claim ours.
        if (race < MAX_REBASES && error.current && stillOurs(this.current, error.current)) {
          this.current = error.current;
          continue;
        }
        this.lost = true;
        throw error;
      }
    }
  }

  /**
   * Sends a creation or deletion once. The adapter asks for the intent as it takes a quota slot: it is recorded
   * (renewing the claim in the same write) and the request must leave within `sendWindowMs`, else the intent is
   * recorded afresh first. So no request leaves after another driver could have taken the grant over, and a driver
   * that settles the grant later knows how long to wait for one to show (sendGraceMs after the intent).
   */
  send<T>(kind: GrantOperation["kind"], call: (options: SendOptions) => Promise<T>): Promise<T> {
    const { claimMs, sendWindowMs } = timingsOf(this.deps);
    return call({
      // A write that returns after its own window (a slow store, an SDK retry) is recorded afresh: what it
      // recorded may already have let another driver in. If the store stays that slow, nothing is sent.
      intend: async (options = {}) => {
        for (let tries = 0; tries < (options.once ? 1 : INTENT_TRIES); tries++) {
          const now = this.deps.clock.now();
          await this.write({ type: "claim", until: now + claimMs, op: kind });
          if (this.deps.clock.now() <= now + sendWindowMs) return now + sendWindowMs;
        }
        throw new IntentTooSlow(this.current.id, sendWindowMs);
      },
    });
  }

  private renewable(): boolean {
    return !this.lost && !this.handedOff && isClaimable(this.current);
  }

  /**
   * Runs `work`, renewing the claim every `renewEveryMs` until it settles. One renewal waits at a time: when the
   * store is slower than the interval, renewals do not pile up ahead of the work's own writes.
   */
  async keepAlive<T>(work: () => Promise<T>): Promise<T> {
    const { claimMs, renewEveryMs } = timingsOf(this.deps);
    let renewing = false;
    const timer = setInterval(() => {
      if (renewing || !this.renewable()) return;
      renewing = true;
      this.renew(claimMs)
        .catch((error: unknown) => {
          this.deps.log.warn("claim not renewed", { grantId: this.current.id, error: String(error) });
        })
        .finally(() => {
          renewing = false;
        });
    }, renewEveryMs);
    timer.unref();
    try {
      return await work();
    } finally {
      clearInterval(timer);
      await this.writing;
    }
  }
}

/** Times an intent is recorded before a send is given up because the store answers too slowly. */
const INTENT_TRIES = 3;

/** The SDK clients' request timeout (src/entrypoints/identity-center.ts), with a margin. */
const REQUEST_MAX_MS = 6_000;

/** How long after an intent a request may still reach Identity Center: the send window plus a request's timeout. */
export function sendGraceMs(timings: Pick<Timings, "sendWindowMs">): number {
  return timings.sendWindowMs + REQUEST_MAX_MS;
}

/** Writes by others that leave this driver's claim in place are rebased on, this many times in a row. */
const MAX_REBASES = 4;

/** Whether a grant changed by someone else is still under this driver's claim: same status, claim and operation. */
function stillOurs(mine: Grant, theirs: Grant): boolean {
  return (
    theirs.status === mine.status &&
    theirs.dueAt === mine.dueAt &&
    theirs.op?.kind === mine.op?.kind &&
    theirs.op?.requestId === mine.op?.requestId
  );
}

function isClaimable(grant: Grant): boolean {
  return grant.status === "provisioning" || grant.status === "revoking";
}
