import { describe, expect, it } from "vitest";
import { PURGE_EVERY_MS, TtlCache } from "../../../src/adapters/ttl-cache.js";

function cacheOf(maxEntries: number) {
  const clock = { at: 1_000_000, now: () => clock.at };
  return { clock, cache: new TtlCache<string>(clock, { maxEntries }) };
}

describe("TtlCache", () => {
  it("drops the oldest written entry past its bound", () => {
    const { cache } = cacheOf(2);
    cache.set("a", "A", 60_000);
    cache.set("b", "B", 60_000);
    cache.set("c", "C", 60_000);
    expect(cache.size).toBe(2);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toEqual({ value: "B" });
    expect(cache.get("c")).toEqual({ value: "C" });
  });

  it("counts a rewritten key as the newest", () => {
    const { cache } = cacheOf(2);
    cache.set("a", "A", 60_000);
    cache.set("b", "B", 60_000);
    cache.set("a", "A2", 60_000);
    cache.set("c", "C", 60_000);
    expect(cache.get("a")).toEqual({ value: "A2" });
    expect(cache.get("b")).toBeUndefined();
  });

  it("sweeps out expired entries that are never read again", () => {
    const { clock, cache } = cacheOf(100);
    for (const key of ["a", "b", "c"]) cache.set(key, key, 1_000);
    cache.set("long", "L", 10 * PURGE_EVERY_MS);
    clock.at += PURGE_EVERY_MS;
    cache.set("d", "D", 1_000);
    expect(cache.size).toBe(2);
    expect(cache.get("long")).toEqual({ value: "L" });
    expect(cache.get("d")).toEqual({ value: "D" });
  });

  it("stops serving an entry at its expiry", () => {
    const { clock, cache } = cacheOf(10);
    cache.set("a", "A", 1_000);
    clock.at += 999;
    expect(cache.get("a")).toEqual({ value: "A" });
    clock.at += 1;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("forgets a key only while it holds the value named", () => {
    const { cache } = cacheOf(10);
    cache.set("a", "old", 60_000);
    cache.set("a", "new", 60_000);
    cache.delete("a", "old");
    expect(cache.get("a")).toEqual({ value: "new" });
    cache.delete("a");
    expect(cache.get("a")).toBeUndefined();
  });

  it("shares one load between concurrent callers and keeps its answer within the bound", async () => {
    const { cache } = cacheOf(1);
    let loads = 0;
    const load = async () => `v${++loads}`;
    const [first, second] = await Promise.all([
      cache.getOrLoad("a", load, () => 60_000),
      cache.getOrLoad("a", load, () => 60_000),
    ]);
    expect([first, second, loads]).toEqual(["v1", "v1", 1]);
    await cache.getOrLoad("b", load, () => 60_000);
    expect(cache.size).toBe(1);
    expect(await cache.getOrLoad("a", load, () => 60_000)).toBe("v3");
  });
});
