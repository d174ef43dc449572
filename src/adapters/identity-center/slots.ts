import type { Logger, OperationKind, Priority } from "../../app/ports.js";
import type { PrioritySemaphore, Schedule } from "./limiter.js";

/**
 * Writes that may record their intent beyond the slots free now, by priority. A freed slot goes to a write whose
 * intent is already recorded, so a slot is held from the send, not from a store write before it; few enough that the
 * wait after an intent stays well inside the driver's send window.
 */
export const AHEAD: Readonly<Record<Priority, number>> = { revoke: 6, grant: 2 };

/**
 * Identity Center's outstanding-operation quota as this process holds it: a slot is taken before a Create or
 * Delete and kept, under the request id, until an await of that request ends (or nobody awaits it for `holdMs`).
 */
export class OutstandingSlots {
  /** Request id -> the priority whose slot it holds. */
  private readonly held = new Map<string, Priority>();
  /** Writes recording an intent, or holding one and waiting for the slot. */
  private readonly ahead: Record<Priority, number> = { revoke: 0, grant: 0 };
  /** Writes waiting to record an intent. */
  private readonly before: Record<Priority, Array<() => void>> = { revoke: [], grant: [] };

  constructor(
    private readonly semaphore: PrioritySemaphore,
    private readonly deps: {
      schedule: Schedule;
      holdMs: number;
      isAwaited(kind: OperationKind, requestId: string): boolean;
      logger?: Logger;
    },
  ) {}

  /**
   * Takes a slot. With `prepare` (the driver's intent), as many writes as there are free slots, and `AHEAD` more,
   * run it before they take one: what it returns is handed back. If it fails, no slot is held. A revocation on its
   * way goes before creations all the same.
   */
  async acquire<T>(priority: Priority, prepare?: () => Promise<T>): Promise<T | undefined> {
    if (!prepare) {
      await this.semaphore.acquire(priority);
      return undefined;
    }
    const arrived = priority === "revoke" ? this.semaphore.expectRevoke() : () => {};
    let counted = false;
    try {
      await this.turnAhead(priority);
      counted = true;
      const prepared = await prepare();
      const slot = this.semaphore.acquire(priority);
      arrived();
      await slot;
      return prepared;
    } finally {
      if (counted) this.ahead[priority] -= 1;
      arrived();
      this.pumpAhead();
    }
  }

  private turnAhead(priority: Priority): Promise<void> {
    return new Promise((resolve) => {
      this.before[priority].push(resolve);
      this.pumpAhead();
    });
  }

  private pumpAhead(): void {
    for (const priority of ["revoke", "grant"] as const) {
      const queue = this.before[priority];
      while (queue.length > 0 && this.ahead[priority] < this.semaphore.free(priority) + AHEAD[priority]) {
        this.ahead[priority] += 1;
        queue.shift()?.();
      }
    }
  }

  /** Whether the request holds a slot of this process. */
  holds(requestId: string): boolean {
    return this.held.has(requestId);
  }

  /** Operations waiting for a slot, or on their way to one while none is free. */
  waiting(): number {
    let onTheWay = this.before.revoke.length + this.before.grant.length;
    for (const priority of ["revoke", "grant"] as const) {
      if (this.semaphore.free(priority) === 0) onTheWay += this.ahead[priority];
    }
    return this.semaphore.waiting() + onTheWay;
  }

  /** Gives back a slot that no request took (the call failed or found nothing to do). */
  cancel(priority: Priority): void {
    this.semaphore.release(priority);
    this.pumpAhead();
  }

  /** The accepted request keeps the slot; a request id already holding one gives the second back. */
  keep(kind: OperationKind, priority: Priority, requestId: string): void {
    if (this.held.has(requestId)) {
      this.semaphore.release(priority);
      this.pumpAhead();
      return;
    }
    this.held.set(requestId, priority);
    this.forgetLater(kind, requestId);
  }

  /** Gives back the request's slot, if it still holds one. */
  release(requestId: string): void {
    const priority = this.held.get(requestId);
    if (priority === undefined) return;
    this.held.delete(requestId);
    this.semaphore.release(priority);
    this.pumpAhead();
  }

  private forgetLater(kind: OperationKind, requestId: string): void {
    this.deps.schedule(this.deps.holdMs, () => {
      if (!this.held.has(requestId)) return;
      if (this.deps.isAwaited(kind, requestId)) return this.forgetLater(kind, requestId);
      this.deps.logger?.warn("nobody awaited an accepted request; its outstanding slot is given back", {
        kind,
        requestId,
      });
      this.release(requestId);
    });
  }
}
