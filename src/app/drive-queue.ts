/** Which lane a grant waits in: revocations are started before anything else that waits. */
export type Lane = "revoke" | "other";

/**
 * Grants waiting to be driven, a bounded number at a time, revocations first. A grant is never driven twice at
 * once here; one submitted again while it runs is driven once more afterwards, so no change goes unseen.
 */
export class DriveQueue {
  private readonly lanes: Record<Lane, string[]> = { revoke: [], other: [] };
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly idlers: Array<() => void> = [];
  private stopped = false;
  private failures = 0;

  constructor(
    /** Drives one grant; resolves false when it could not be moved on. */
    private readonly drive: (grantId: string) => Promise<boolean>,
    readonly concurrency = 32,
  ) {}

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

  private next(): string | undefined {
    return this.lanes.revoke.shift() ?? this.lanes.other.shift();
  }

  private pump(): void {
    while (this.running.size < this.concurrency && !this.stopped) {
      const grantId = this.next();
      if (grantId === undefined) break;
      this.queued.delete(grantId);
      this.running.add(grantId);
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
