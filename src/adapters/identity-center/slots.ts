import type { Logger, OperationKind, Priority } from "../../app/ports.js";
import type { PrioritySemaphore, Schedule } from "./limiter.js";

/**
 * Identity Center's outstanding-operation quota as this process holds it: a slot is taken before a Create or
 * Delete and kept, under the request id, until an await of that request ends (or nobody awaits it for `holdMs`).
 */
export class OutstandingSlots {
  /** Request id -> the priority whose slot it holds. */
  private readonly held = new Map<string, Priority>();

  constructor(
    private readonly semaphore: PrioritySemaphore,
    private readonly deps: {
      schedule: Schedule;
      holdMs: number;
      isAwaited(kind: OperationKind, requestId: string): boolean;
      logger?: Logger;
    },
  ) {}

  acquire(priority: Priority): Promise<void> {
    return this.semaphore.acquire(priority);
  }

  /** Whether the request holds a slot of this process. */
  holds(requestId: string): boolean {
    return this.held.has(requestId);
  }

  /** Operations waiting for a slot. */
  waiting(): number {
    return this.semaphore.waiting();
  }

  /** Gives back a slot that no request took (the call failed or found nothing to do). */
  cancel(priority: Priority): void {
    this.semaphore.release(priority);
  }

  /** The accepted request keeps the slot; a request id already holding one gives the second back. */
  keep(kind: OperationKind, priority: Priority, requestId: string): void {
    if (this.held.has(requestId)) {
      this.semaphore.release(priority);
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
