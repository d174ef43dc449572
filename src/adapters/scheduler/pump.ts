/**
 * Runs a pass when kicked and every `intervalMs` otherwise, never two at once; a pass that reports more work
 * is followed at once by another. For the long-running server's notice sender.
 */
export class Pump {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private kicked = false;
  private stopped = false;

  constructor(
    /** One pass; resolves true when there may be more to do right away. */
    private readonly pass: (stopped: () => boolean) => Promise<boolean>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  start(): void {
    this.kick();
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
  }

  /** Asks for a pass soon; one already running is followed by another. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.kicked = true;
      return;
    }
    this.running = this.pass(() => this.stopped)
      .catch((error: unknown) => {
        this.onError(error);
        return false;
      })
      .then((more) => {
        this.running = undefined;
        const again = more || this.kicked;
        this.kicked = false;
        if (again) this.kick();
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
