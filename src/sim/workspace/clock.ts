import type { Clock } from "../../app/ports.js";

/** The sandbox's clock: real time plus an offset the page moves forward, so expiry can be reached in seconds. */
export class SandboxClock implements Clock {
  private offsetMs = 0;
  private readonly listeners = new Set<(offsetMs: number) => void>();

  now(): number {
    return Date.now() + this.offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** Moves time forward (never back: nothing may happen twice or be revoked early). */
  advance(ms: number): void {
    if (!(ms > 0)) return;
    this.offsetMs += ms;
    for (const listener of this.listeners) listener(this.offsetMs);
  }

  onChange(listener: (offsetMs: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
