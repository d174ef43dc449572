import type { Clock } from "../app/ports.js";

/** Entries a cache keeps unless told otherwise: a long-running server must not grow with every user it meets. */
export const DEFAULT_MAX_ENTRIES = 10_000;
/** How often expired entries are swept out, at the next write after this long. */
export const PURGE_EVERY_MS = 60_000;

export interface TtlCacheOptions {
  /** Past this many entries the oldest written is dropped. */
  maxEntries?: number;
}

/**
 * Values kept until their own expiry, at most `maxEntries` of them (the oldest written goes first), with expired
 * entries swept out as writes come; concurrent loads of one key share a single call.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly loading = new Map<string, Promise<V>>();
  private readonly maxEntries: number;
  private nextPurge = 0;

  constructor(
    private readonly clock: Clock,
    options: TtlCacheOptions = {},
  ) {
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
  }

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  get(key: string): { value: V } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: entry.value };
  }

  set(key: string, value: V, ttlMs: number): void {
    const now = this.clock.now();
    // Deleted first so that a rewritten key counts as the newest.
    this.entries.delete(key);
    this.entries.set(key, { value, until: now + ttlMs });
    if (now >= this.nextPurge) this.purge(now);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** Forgets `key`; with `value`, only while the key still holds that value (a newer one is kept). */
  delete(key: string, value?: V): void {
    const entry = this.entries.get(key);
    if (entry && (value === undefined || entry.value === value)) this.entries.delete(key);
  }

  /** The cached value, or `load()`'s, cached for `ttlFor(value)` ms; failures are not cached. */
  async getOrLoad(key: string, load: () => Promise<V>, ttlFor: (value: V) => number): Promise<V> {
    const hit = this.get(key);
    if (hit) return hit.value;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const promise = load().then(
      (value) => {
        this.loading.delete(key);
        this.set(key, value, ttlFor(value));
        return value;
      },
      (error: unknown) => {
        this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }

  private purge(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.until <= now) this.entries.delete(key);
    }
    this.nextPurge = now + PURGE_EVERY_MS;
  }
}
