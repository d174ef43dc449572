import { describe, expect, it } from "vitest";
import { DEFAULT_TIMINGS } from "../../../src/app/deps.js";
import type { GrantChange } from "../../../src/app/ports.js";
import { revokeGrant } from "../../../src/app/revoke.js";
import type { Grant } from "../../../src/domain/grant.js";
import { type Harness, harness, PEOPLE } from "../../support/app-harness.js";
import { ADMIN, PROD } from "../../support/example-config.js";
import { prodAdminAsk, requestActive, requestApproved, target } from "../../support/use-cases.js";

const { dev } = PEOPLE;
const { claimMs, sendWindowMs } = DEFAULT_TIMINGS;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One write of the grant as the store saw it, and whether it only renewed the claim. */
interface Write {
  change: GrantChange;
  renewal: boolean;
}

/**
 * An active grant whose store records every write of it and runs `hold` before each (a slow store); renewals fall
 * due every 5 ms. A renewal is a write that changes nothing but the claim's time while an operation is under way.
 */
async function watched(hold: (change: GrantChange, h: Harness) => Promise<void>) {
  const h = harness();
  const { id } = await requestActive(h, prodAdminAsk("INC-7"));
  h.deps.timings = { renewEveryMs: 5 };
  const writes: Write[] = [];
  let last: Grant | undefined = await h.store.get(id);
  const seen = async (change: GrantChange) => {
    if (change.grant.id !== id) return;
    const renewal =
      change.expect.status === "revoking" &&
      change.grant.status === "revoking" &&
      last?.op !== undefined &&
      JSON.stringify(last.op) === JSON.stringify(change.grant.op) &&
      change.audit.length === 0;
    writes.push({ change, renewal });
    last = change.grant;
    await hold(change, h);
  };
  const save = h.store.save.bind(h.store);
  const saveAll = h.store.saveAll.bind(h.store);
  h.store.save = async (change) => {
    await seen(change);
    return save(change);
  };
  h.store.saveAll = async (changes, unchanged) => {
    for (const change of changes) await seen(change);
    return saveAll(changes, unchanged);
  };
  return { h, id, writes };
}

/** A write recording a deletion's intent (not a renewal, not the retry planned after it). */
function isIntent(write: Write): boolean {
  const { grant } = write.change;
  return (
    !write.renewal && !grant.attempts && grant.op?.kind === "deletion" && grant.op.requestId === undefined
  );
}

describe("a driver's claim", () => {
  it("is renewed while the work lasts and not after the write that ends the grant", async () => {
    // Every write of the revocation is slow, the one that ends the grant slowest: renewals fall due between the
    // work's writes and behind that last one.
    const { h, id, writes } = await watched((change) => sleep(change.grant.status === "ended" ? 60 : 15));
    await revokeGrant(h.deps, dev.slackId, id);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect(writes.filter((write) => write.renewal).length).toBeGreaterThan(0);
    expect(writes.at(-1)?.change.grant.status).toBe("ended");
    expect(h.log.lines.filter((line) => line.msg === "claim not renewed")).toEqual([]);
  });

  it("keeps one renewal waiting at a time, for the claim's time from when its turn comes", async () => {
    // The write of the intent hangs for about twenty renewal intervals (and the clock moves on meanwhile).
    let hung = false;
    const { h, id, writes } = await watched(async (change, harnessed) => {
      if (hung || change.grant.op?.kind !== "deletion" || change.expect.status !== "revoking") return;
      hung = true;
      await sleep(100);
      harnessed.clock.advance(1_000);
    });
    const start = h.clock.now();
    await revokeGrant(h.deps, dev.slackId, id);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect(hung).toBe(true);
    const renewals = writes.filter((write) => write.renewal);
    expect(renewals).toHaveLength(1);
    expect(renewals[0]?.change.grant.dueAt).toBe(start + 1_000 + claimMs);
  });

  it("is not renewed over the time a planned retry set", async () => {
    // The write planning the retry is slow: renewals fall due behind it.
    const { h, id, writes } = await watched((change) => sleep((change.grant.attempts ?? 0) > 0 ? 60 : 0));
    h.identity.refuse(target(dev.userId), "access-denied", ["deletion"]);
    await revokeGrant(h.deps, dev.slackId, id).catch(() => undefined);
    const retry = writes.find((write) => (write.change.grant.attempts ?? 0) > 0);
    expect(retry?.change.grant.dueAt).toBeGreaterThan(h.clock.now());
    const stored = await h.store.get(id);
    expect(stored?.status).toBe("revoking");
    expect(stored?.dueAt).toBe(retry?.change.grant.dueAt);
    expect(writes.at(-1)).toBe(retry);
  });

  it("records the intent afresh when its write returns after the send window, and sends once", async () => {
    let slow = 1;
    const { h, id, writes } = await watched(async (change, harnessed) => {
      if (slow > 0 && change.grant.op?.kind === "deletion" && change.grant.op.requestId === undefined) {
        slow--;
        harnessed.clock.advance(sendWindowMs + 1);
      }
    });
    await revokeGrant(h.deps, dev.slackId, id);
    expect((await h.store.get(id))?.status).toBe("ended");
    expect(h.identity.count("delete")).toBe(1);
    const intents = writes.filter(isIntent);
    expect(intents.map((w) => w.change.grant.op?.startedAt)).toEqual([
      intents[0]?.change.grant.op?.startedAt,
      (intents[0]?.change.grant.op?.startedAt ?? 0) + sendWindowMs + 1,
    ]);
  });

  it("sends nothing while the store takes longer than the send window to record the intent", async () => {
    const { h, id, writes } = await watched(async (change, harnessed) => {
      const write = { change, renewal: false };
      if (isIntent(write)) harnessed.clock.advance(sendWindowMs + 1);
    });
    await revokeGrant(h.deps, dev.slackId, id);
    expect(h.identity.count("delete")).toBe(0);
    // Three tries, then a retry planned as for any transient failure, its cause in the audit trail.
    expect(writes.filter(isIntent)).toHaveLength(3);
    const stored = await h.store.get(id);
    expect(stored?.status).toBe("revoking");
    expect(stored?.attempts).toBe(1);
    expect(stored?.op?.kind).toBe("deletion");
    expect(stored?.op?.requestId).toBeUndefined();
    const trail = await h.store.auditOf(id);
    expect(JSON.stringify(trail.at(-1))).toContain("nothing was sent");
  });

  it("lets the next driver in at once when the creation it must settle first is still running", async () => {
    const h = harness();
    h.identity.stuck.add(`${dev.userId}|${PROD}|${ADMIN}`);
    const id = await requestApproved(h, prodAdminAsk("INC-9"));
    expect((await h.store.get(id))?.op).toMatchObject({ kind: "creation", requestId: expect.any(String) });
    await revokeGrant(h.deps, dev.slackId, id);
    const stored = await h.store.get(id);
    expect(stored?.status).toBe("revoking");
    expect(stored?.dueAt).toBe(h.clock.now());
    expect(h.identity.count("delete")).toBe(0);
  });
});
