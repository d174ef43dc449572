/** Which lane a grant waits in: revocations are started before anything else that waits. */
export type Lane = "revoke" | "other";

/**
 * Grants waiting to be driven, a bounded number at a time per lane, revocations first. Each lane has its own
 * limit, so creations waiting on Identity Center never take the places revocations need. A grant is never driven
 * twice at once here; one submitted again while it runs is driven once more afterwards, so no change goes unseen.
 */
export class DriveQueue {
  private readonly lanes: Record<Lane, string[]> = { revoke: [], other: [] };
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly runningIn: Record<Lane, number> = { revoke: 0, other: 0 };
  private readonly again = new Set<string>();
  private readonly idlers: Array<() => void> = [];
  private stopped = false;
  private failures = 0;

  private readonly limits: Record<Lane, number>;

  constructor(
    /** Drives one grant; resolves false when it could not be moved on. */
    private readonly drive: (grantId: string) => Promise<boolean>,
    concurrency = 32,
  ) {
    this.limits = { revoke: concurrency, other: Math.max(1, Math.floor(concurrency / 2)) };
  }

  /** Grants waiting and running. */
  get size(): number {
    return this.queued.size + this.running.size;
  }

  /** Drives that could not move their grant on since the queue was made. */
  get failed(): number {
    return this.failures;
  }

  submit(grantId: string, lane: Lane = "revoke"): void {
    if (this.stopped) return;
    if (this.running.has(grantId)) {
      this.again.add(grantId);
      return;
    }
    if (this.queued.has(grantId)) return;
    this.queued.add(grantId);
    this.lanes[lane].push(grantId);
    this.pump();
  }

  /** Resolves when nothing waits or runs. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  /** Takes nothing new; what runs finishes. */
  stop(): void {
    this.stopped = true;
    for (const lane of Object.values(this.lanes)) lane.length = 0;
    this.queued.clear();
    this.settle();
  }

  private next(): { grantId: string; lane: Lane } | undefined {
    for (const lane of ["revoke", "other"] as const) {
      if (this.runningIn[lane] >= this.limits[lane]) continue;
      const grantId = this.lanes[lane].shift();
      if (grantId !== undefined) return { grantId, lane };
    }
    return undefined;
  }

  private pump(): void {
    while (!this.stopped) {
      const next = this.next();
      if (next === undefined) break;
      const { grantId, lane } = next;
      this.queued.delete(grantId);
      this.running.add(grantId);
      this.runningIn[lane]++;
      void this.drive(grantId)
        .then(
          (ok) => {
            if (!ok) this.failures++;
          },
          () => {
            this.failures++;
          },
        )
        .finally(() => {
          this.running.delete(grantId);
          this.runningIn[lane]--;
          if (this.again.delete(grantId)) this.submit(grantId);
          this.pump();
          this.settle();
        });
    }
    this.settle();
  }

  private settle(): void {
    if (this.size > 0 && !this.stopped) return;
    if (this.running.size > 0) return;
    for (const resolve of this.idlers.splice(0)) resolve();
  }
}
