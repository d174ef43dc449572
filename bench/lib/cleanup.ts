/** Closes what a benchmark started, last first, even when a step fails or the run is interrupted. */
export class Cleanup {
  private readonly steps: Array<{ what: string; run: () => Promise<unknown> | unknown }> = [];

  defer(what: string, run: () => Promise<unknown> | unknown): void {
    this.steps.push({ what, run });
  }

  /** Closes one step early (by its name) instead of at the end. */
  async runOne(what: string): Promise<void> {
    const index = this.steps.findIndex((step) => step.what === what);
    const [step] = index >= 0 ? this.steps.splice(index, 1) : [];
    if (step) await this.close(step);
  }

  async run(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) await this.close(step);
  }

  private async close(step: { what: string; run: () => Promise<unknown> | unknown }): Promise<void> {
    try {
      await step.run();
    } catch (error) {
      process.stderr.write(`[bench] cleanup of ${step.what} failed: ${String(error)}\n`);
    }
  }
}
