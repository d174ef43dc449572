import { describe, expect, it } from "vitest";
import type { GrantChange } from "../../../src/app/ports.js";
import { revokeGrant } from "../../../src/app/revoke.js";
import { harness, PEOPLE } from "../../support/app-harness.js";
import { prodAdminAsk, requestActive } from "../../support/use-cases.js";

const { dev } = PEOPLE;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a driver's claim", () => {
  it("is not renewed once the grant has ended, even when a renewal falls due during the last write", async () => {
    const h = harness();
    const { id } = await requestActive(h, prodAdminAsk("INC-7"));
    h.deps.timings = { renewEveryMs: 5 };
    // Every write of the revocation is slow, the one that ends the grant slowest: renewals fall due during the
    // work and behind that last write.
    const writes: string[] = [];
    const slow = async (changes: GrantChange[]) => {
      for (const change of changes) writes.push(`${change.expect.status}>${change.grant.status}`);
      if (changes.some((change) => change.grant.status === "ended")) await sleep(60);
      else await sleep(15);
    };
    const save = h.store.save.bind(h.store);
    const saveAll = h.store.saveAll.bind(h.store);
    h.store.save = async (change) => {
      await slow([change]);
      return save(change);
    };
    h.store.saveAll = async (changes, unchanged) => {
      await slow(changes);
      return saveAll(changes, unchanged);
    };
    await revokeGrant(h.deps, dev.slackId, id);
    await sleep(30);
    expect((await h.store.get(id))?.status).toBe("ended");
    // Taking the grant, the intent, the accepted request, and at least one renewal while it was in flight.
    expect(writes.filter((write) => write === "revoking>revoking").length).toBeGreaterThan(2);
    expect(h.log.lines.filter((line) => line.msg === "claim not renewed")).toEqual([]);
  });

  it("keeps one renewal waiting at a time when the store is slower than the renewal interval", async () => {
    const h = harness();
    const { id } = await requestActive(h, prodAdminAsk("INC-8"));
    h.deps.timings = { renewEveryMs: 5 };
    // The write of the intent hangs for about twenty renewal intervals; every other write is quick.
    const writes: string[] = [];
    let hung = false;
    const save = h.store.save.bind(h.store);
    h.store.save = async (change) => {
      writes.push(`${change.expect.status}>${change.grant.status}`);
      if (!hung && change.grant.op?.kind === "deletion" && change.expect.status === "revoking") {
        hung = true;
        await sleep(100);
      }
      return save(change);
    };
    await revokeGrant(h.deps, dev.slackId, id);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect(hung).toBe(true);
    // The intent, the accepted request, and a renewal or two: not one per interval spent waiting.
    expect(writes.filter((write) => write === "revoking>revoking").length).toBeLessThanOrEqual(4);
  });
});
