import { beforeEach, describe, expect, it } from "vitest";
import type { GrantChange, GrantStore } from "../../src/app/ports.js";
import { GrantChangedConcurrently, TupleChangedConcurrently } from "../../src/domain/errors.js";
import type { AuditEvent, Grant } from "../../src/domain/grant.js";
import { auditIndexContract } from "./audit-contract.js";
import { aGrant, aGrantId, anAuditEvent, aTuple, type GrantOverrides } from "./grant-builder.js";
import { noticeContract } from "./notice-contract.js";
import { requestContract } from "./request-contract.js";

/** What both implementations offer: the port plus reading refusals back. */
export type ContractStore = GrantStore & { refusalsOn(day: string): Promise<AuditEvent[]> };

/** A change moving `grant` on by one version; override the new fields. */
function change(grant: Grant, next: GrantOverrides, extra: Partial<GrantChange> = {}): GrantChange {
  return {
    grant: { ...grant, version: grant.version + 1, ...next } as Grant,
    expect: { status: grant.status, version: grant.version },
    audit: [anAuditEvent({ grantId: grant.id, type: "approved", actor: "U0APPROVER", status: next.status })],
    ...extra,
  };
}

async function inPool<T>(items: T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
}

async function allDue(store: GrantStore, before: number, limit?: number) {
  const pages: Grant[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.due(before, cursor, limit);
    pages.push(page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return pages;
}

function rejection(outcome: PromiseSettledResult<unknown>): unknown {
  return outcome.status === "rejected" ? outcome.reason : undefined;
}

/** Writes many grants quickly for the paging test; by default through `create`, a few at a time. */
export type Seed = (store: ContractStore, grants: Grant[]) => Promise<void>;

const createAll: Seed = (store, grants) => inPool(grants, 16, (g) => store.create(g, []));

/** The GrantStore contract; stores may share one table across tests, so every test uses its own ids. */
export function describeGrantStoreContract(
  name: string,
  makeStore: () => ContractStore | Promise<ContractStore>,
  seed: Seed = createAll,
) {
  describe(`${name} (GrantStore contract)`, () => {
    let store: ContractStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it("returns a grant as it was created, every optional field included", async () => {
      const grant = aGrant({
        status: "active",
        approvals: [{ slackId: "U0APPROVER", email: "lead@example.com", at: 5 }],
        decidedAt: 6,
        decidedBy: "U0APPROVER",
        activatedAt: 7,
        expiresAt: 8,
        reminded: false,
        message: { channel: "C0APPROVALS", ts: "1700000000.000100" },
        createRequestId: "req-1",
        preExisting: false,
        outcomeReason: "",
        attempts: 0,
      });
      await store.create(grant, [anAuditEvent({ grantId: grant.id, detail: { a: "x", b: 1, c: true } })]);
      expect(await store.get(grant.id)).toEqual(grant);
      expect(await store.auditOf(grant.id)).toEqual([
        anAuditEvent({ grantId: grant.id, detail: { a: "x", b: 1, c: true } }),
      ]);
    });

    it("returns undefined for a grant that does not exist", async () => {
      expect(await store.get(aGrantId())).toBeUndefined();
    });

    it("refuses to create a grant twice and reports the stored one", async () => {
      const first = aGrant({ reason: "first" });
      await store.create(first, []);
      const error = await store.create({ ...first, reason: "second" }, [anAuditEvent()]).catch((e) => e);
      expect(error).toBeInstanceOf(GrantChangedConcurrently);
      expect(error.current).toEqual(first);
      expect(await store.get(first.id)).toEqual(first);
      expect(await store.auditOf(first.id)).toEqual([]);
    });

    it("saves a change and its audit events together, in the order given", async () => {
      const grant = aGrant();
      await store.create(grant, [anAuditEvent({ grantId: grant.id })]);
      const events = (["approved", "provisioning", "activated"] as const).map((type) =>
        anAuditEvent({ grantId: grant.id, at: grant.createdAt + 1, type }),
      );
      const next = change(grant, { status: "active" }, { audit: events });
      await store.save(next);
      expect(await store.get(grant.id)).toEqual(next.grant);
      expect((await store.auditOf(grant.id)).map((e) => e.type)).toEqual([
        "requested",
        "approved",
        "provisioning",
        "activated",
      ]);
    });

    it.each([
      { what: "a stale version", stored: { version: 2 }, expect: { status: "pending", version: 1 } },
      { what: "a wrong status", stored: { version: 1 }, expect: { status: "active", version: 1 } },
    ] as const)("refuses a save with $what and writes nothing", async ({ stored, expect: expected }) => {
      const grant = aGrant({ ...stored, requester: { ...aGrant().requester, userId: aGrantId() } });
      await store.create(grant, [anAuditEvent({ grantId: grant.id })]);
      const tuple = aTuple({ target: { ...aTuple().target, userId: grant.requester.userId } });
      const attempt: GrantChange = {
        ...change(grant, { status: "provisioning" }),
        expect: expected,
        grant: { ...grant, status: "provisioning", version: expected.version + 1 } as Grant,
        tuple: { next: { ...tuple, holders: [grant.id] }, expectVersion: undefined },
      };
      const error = await store.save(attempt).catch((e) => e);
      expect(error).toBeInstanceOf(GrantChangedConcurrently);
      expect(error.current).toEqual(grant);
      expect(await store.get(grant.id)).toEqual(grant);
      expect(await store.auditOf(grant.id)).toHaveLength(1);
      expect(await store.getTuple(tuple.target)).toBeUndefined();
    });

    it("refuses to save a grant that does not exist, reporting no current grant", async () => {
      const grant = aGrant();
      const error = await store.save(change(grant, { status: "denied" })).catch((e) => e);
      expect(error).toBeInstanceOf(GrantChangedConcurrently);
      expect(error.current).toBeUndefined();
      expect(await store.get(grant.id)).toBeUndefined();
    });

    it("rejects a change whose version is not the expected version plus one", async () => {
      const grant = aGrant();
      await store.create(grant, []);
      const stale = {
        ...change(grant, { status: "denied" }),
        grant: { ...grant, status: "denied" as const } as Grant,
      };
      await expect(store.save(stale)).rejects.toThrow(/must follow expected version/);
      expect(await store.get(grant.id)).toEqual(grant);
    });

    it("lets exactly one of 20 concurrent approvals from the same version win", async () => {
      const grant = aGrant();
      await store.create(grant, [anAuditEvent({ grantId: grant.id })]);
      const attempts = Array.from({ length: 20 }, (_, i) =>
        change(grant, {
          approvals: [{ slackId: `U0APPROVER${i}`, email: `a${i}@example.com`, at: grant.createdAt + i }],
        }),
      );
      const outcomes = await Promise.allSettled(attempts.map((a) => store.save(a)));
      const winners = outcomes.flatMap((o, i) => (o.status === "fulfilled" ? [attempts[i]] : []));
      expect(winners).toHaveLength(1);
      const losers = outcomes.map(rejection).filter((e) => e !== undefined);
      expect(losers).toHaveLength(19);
      for (const loser of losers) expect(loser).toBeInstanceOf(GrantChangedConcurrently);
      expect(await store.get(grant.id)).toEqual(winners[0]?.grant);
      expect(await store.auditOf(grant.id)).toHaveLength(2);
    });

    it("shares one tuple between overlapping grants and refuses a stale tuple version", async () => {
      const target = { ...aTuple().target, userId: aGrantId() };
      const [a, b, c] = [aGrant(), aGrant(), aGrant()];
      for (const grant of [a, b, c]) await store.create(grant, []);
      const tupleA = aTuple({ target, state: "present", holders: [a.id], version: 1 });
      await store.save(
        change(a, { status: "active" }, { tuple: { next: tupleA, expectVersion: undefined } }),
      );
      const tupleAB = { ...tupleA, holders: [a.id, b.id], version: 2 };
      await store.save(change(b, { status: "active" }, { tuple: { next: tupleAB, expectVersion: 1 } }));
      expect(await store.getTuple(target)).toEqual(tupleAB);

      const staleTuple = { ...tupleA, holders: [a.id, c.id], version: 2 };
      for (const expectVersion of [1, undefined]) {
        await expect(
          store.save(change(c, { status: "active" }, { tuple: { next: staleTuple, expectVersion } })),
        ).rejects.toBeInstanceOf(TupleChangedConcurrently);
      }
      expect(await store.get(c.id)).toEqual(c);
      expect(await store.auditOf(c.id)).toEqual([]);
      expect(await store.getTuple(target)).toEqual(tupleAB);
    });

    it("saves a tuple only from the expected version", async () => {
      const target = { ...aTuple().target, userId: aGrantId() };
      const first = aTuple({ target, state: "creating", lease: { grantId: "g1", until: 99 } });
      await store.saveTuple(first, undefined);
      await expect(store.saveTuple(first, undefined)).rejects.toBeInstanceOf(TupleChangedConcurrently);
      const second = { ...first, state: "present" as const, holders: ["g1"], preExisting: false, version: 2 };
      await store.saveTuple(second, 1);
      await expect(store.saveTuple({ ...second, version: 3 }, 1)).rejects.toBeInstanceOf(
        TupleChangedConcurrently,
      );
      expect(await store.getTuple(target)).toEqual(second);
      expect(await store.getTuple({ ...target, accountId: "999999999999" })).toBeUndefined();
    });

    it("pages through 1,000 due grants once each, oldest first, leaving out later and undue ones", async () => {
      const before = Date.UTC(2031, 0, 1);
      const due = Array.from({ length: 1000 }, (_, i) =>
        aGrant({ dueAt: before - ((i * 7919) % 1000) * 60_000 }),
      );
      const later = Array.from({ length: 20 }, (_, i) => aGrant({ dueAt: before + 1 + i }));
      const undue = Array.from({ length: 20 }, () => aGrant({ dueAt: undefined, status: "ended" }));
      await seed(store, [...due, ...later, ...undue]);

      const pages = await allDue(store, before, 100);
      for (const page of pages) expect(page.length).toBeLessThanOrEqual(100);
      const seen = pages.flat();
      const dueAts = seen.map((g) => g.dueAt ?? Number.NaN);
      expect(dueAts).toEqual([...dueAts].sort((x, y) => x - y));
      expect(dueAts.every((at) => at <= before)).toBe(true);
      const counts = new Map<string, number>();
      for (const g of seen) counts.set(g.id, (counts.get(g.id) ?? 0) + 1);
      expect(due.filter((g) => counts.get(g.id) !== 1)).toEqual([]);
      expect([...later, ...undue].filter((g) => counts.has(g.id))).toEqual([]);
      expect(seen.find((g) => g.id === due[0]?.id)).toEqual(due[0]);
    });

    it("drops a grant from the due index when a save removes its dueAt", async () => {
      const grant = aGrant({ dueAt: 1_000 });
      await store.create(grant, []);
      const dueIds = async () => (await allDue(store, 1_000)).flat().map((g) => g.id);
      expect(await dueIds()).toContain(grant.id);
      await store.save(change(grant, { status: "timed-out", dueAt: undefined }));
      expect(await dueIds()).not.toContain(grant.id);
      expect((await store.get(grant.id))?.dueAt).toBeUndefined();
    });

    it("lists a requester's grants newest first, up to the limit", async () => {
      const slackId = `U${aGrantId()}`;
      const requester = { slackId, email: "x@example.com", userId: "user-x" };
      const createdAts = [3, 1, 5, 2, 4].map((n) => Date.UTC(2030, 1, n));
      for (const createdAt of createdAts) await store.create(aGrant({ requester, createdAt }), []);
      await store.create(aGrant({ createdAt: Date.UTC(2030, 1, 9) }), []);
      const newest = [...createdAts].sort((x, y) => y - x);
      expect((await store.byRequester(slackId)).map((g) => g.createdAt)).toEqual(newest);
      expect((await store.byRequester(slackId, 3)).map((g) => g.createdAt)).toEqual(newest.slice(0, 3));
      expect(await store.byRequester(`U${aGrantId()}`)).toEqual([]);
    });

    it("records a refusal under its day, apart from any grant", async () => {
      const at = Date.UTC(2030, 4, 6, 23, 59, 59);
      const refusal = anAuditEvent({ at, actor: `U${aGrantId()}`, type: "refused", reason: "no rule" });
      await store.recordRefusal(refusal);
      expect(await store.refusalsOn("2030-05-06")).toContainEqual(refusal);
      expect(await store.refusalsOn("2030-05-07")).not.toContainEqual(refusal);
    });

    it("adds a refusal about a grant to that grant's trail", async () => {
      const grant = aGrant();
      await store.create(grant, [anAuditEvent({ grantId: grant.id })]);
      const refusal = anAuditEvent({
        grantId: grant.id,
        at: grant.createdAt + 1,
        type: "refused",
        reason: "self",
      });
      await store.recordRefusal(refusal);
      expect((await store.auditOf(grant.id)).map((e) => e.type)).toEqual(["requested", "refused"]);
    });

    it("keeps stored state apart from the objects callers hold", async () => {
      const grant = aGrant();
      const audit = [anAuditEvent({ grantId: grant.id })];
      await store.create(grant, audit);
      const stored = structuredClone(grant);
      grant.approvals.push({ slackId: "U0MUTANT", email: "m@example.com", at: 1 });
      grant.requester.email = "changed@example.com";
      (audit[0] as AuditEvent).reason = "changed";
      const read = await store.get(grant.id);
      read?.approvals.push({ slackId: "U0MUTANT", email: "m@example.com", at: 1 });
      expect(await store.get(grant.id)).toEqual(stored);
      expect((await store.auditOf(grant.id))[0]?.reason).toBeUndefined();
    });

    auditIndexContract(() => store);
    noticeContract(() => store);
    requestContract(() => store);
  });
}
