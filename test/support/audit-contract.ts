import { expect, it } from "vitest";
import type { AuditEntry, AuditQuery, GrantStore } from "../../src/app/ports.js";
import type { Grant } from "../../src/domain/grant.js";
import { aGrant, aGrantId, anAuditEvent } from "./grant-builder.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Every entry of a query, page by page, with the size of each page. */
export async function readAll(
  store: GrantStore,
  query: AuditQuery,
  limit?: number,
): Promise<{ entries: AuditEntry[]; pages: number[] }> {
  const entries: AuditEntry[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.auditBetween(query, cursor, limit);
    entries.push(...page.items);
    pages.push(page.items.length);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return { entries, pages };
}

/**
 * The audit-index cases of the GrantStore contract. Stores may share one table, so each case writes in a year
 * of its own and queries only that year.
 */
export function auditIndexContract(store: () => GrantStore): void {
  it("reads events of several grants and days in time order, both ends of the range included", async () => {
    const t0 = Date.UTC(2041, 2, 1, 22, 0, 0);
    const alice = aGrant({ requester: { slackId: "U0ALICE", email: "Alice@Example.com", userId: "u-a" } });
    const bob = aGrant({ account: { id: "333333333333", alias: "Staging" } });
    await store().create(alice, [anAuditEvent({ grantId: alice.id, at: t0 + 3 * HOUR })]);
    await store().create(bob, [
      anAuditEvent({ grantId: bob.id, at: t0 }),
      anAuditEvent({ grantId: bob.id, at: t0 + 5 * HOUR, type: "approved", actor: "U0LEAD" }),
    ]);
    await store().save({
      grant: { ...alice, version: 2, status: "denied" } as Grant,
      expect: { status: "pending", version: 1 },
      audit: [anAuditEvent({ grantId: alice.id, at: t0 + DAY, type: "denied", actor: "U0LEAD" })],
    });

    const { entries } = await readAll(store(), { from: t0, to: t0 + DAY });
    expect(entries.map((e) => [e.event.grantId, e.event.at, e.event.type])).toEqual([
      [bob.id, t0, "requested"],
      [alice.id, t0 + 3 * HOUR, "requested"],
      [bob.id, t0 + 5 * HOUR, "approved"],
      [alice.id, t0 + DAY, "denied"],
    ]);
    expect(entries[1]).toEqual({
      event: anAuditEvent({ grantId: alice.id, at: t0 + 3 * HOUR }),
      requester: "alice@example.com",
      account: "prod",
      permissionSet: "ReadOnly",
    });
    expect(entries[0]?.account).toBe("staging");
    const inner = await readAll(store(), { from: t0 + 1, to: t0 + DAY - 1 });
    expect(inner.entries.map((e) => e.event.at)).toEqual([t0 + 3 * HOUR, t0 + 5 * HOUR]);
  });

  it("filters on the requester's email and the account alias", async () => {
    const t0 = Date.UTC(2042, 5, 10, 12, 0, 0);
    const dev = { slackId: "U0DEV", email: "dev@example.com", userId: "u-dev" };
    const ops = { slackId: "U0OPS", email: "ops@example.com", userId: "u-ops" };
    const grants = [
      aGrant({ requester: dev }),
      aGrant({ requester: dev, account: { id: "333333333333", alias: "staging" } }),
      aGrant({ requester: ops }),
    ];
    for (const [i, grant] of grants.entries()) {
      await store().create(grant, [anAuditEvent({ grantId: grant.id, at: t0 + i })]);
    }
    const range = { from: t0, to: t0 + DAY };
    const ids = async (query: Partial<AuditQuery>) =>
      (await readAll(store(), { ...range, ...query })).entries.map((e) => e.event.grantId);
    expect(await ids({ requester: "dev@example.com" })).toEqual([grants[0]?.id, grants[1]?.id]);
    expect(await ids({ account: "prod" })).toEqual([grants[0]?.id, grants[2]?.id]);
    expect(await ids({ requester: "dev@example.com", account: "staging" })).toEqual([grants[1]?.id]);
    expect(await ids({ requester: "nobody@example.com" })).toEqual([]);
  });

  it("includes refusals, with what their detail names or the grant they concern", async () => {
    const t0 = Date.UTC(2043, 0, 1, 0, 0, 0);
    const grant = aGrant();
    await store().create(grant, [anAuditEvent({ grantId: grant.id, at: t0 })]);
    const asked = anAuditEvent({
      at: t0 + 1,
      actor: "U0DEV",
      type: "refused",
      reason: "no rule",
      detail: { account: "PROD", permissionSet: "Billing", code: "NO_RULE" },
    });
    const click = anAuditEvent({ grantId: grant.id, at: t0 + 2, actor: "U0DEV", type: "refused" });
    await store().recordRefusal(asked);
    await store().recordRefusal(click);
    const { entries } = await readAll(store(), { from: t0, to: t0 + HOUR });
    expect(entries.map((e) => e.event)).toEqual([anAuditEvent({ grantId: grant.id, at: t0 }), asked, click]);
    expect(entries[1]).toMatchObject({ account: "prod", permissionSet: "Billing" });
    expect(entries[1]?.requester).toBeUndefined();
    expect(entries[2]).toMatchObject({
      requester: "dev@example.com",
      account: "prod",
      permissionSet: "ReadOnly",
    });
    expect(await store().auditOf(grant.id)).toEqual([anAuditEvent({ grantId: grant.id, at: t0 }), click]);
  });

  it("pages through a range once each, every page within the limit", async () => {
    const t0 = Date.UTC(2044, 6, 1, 0, 0, 0);
    const grant = aGrant({ id: aGrantId() });
    const events = Array.from({ length: 45 }, (_, i) =>
      anAuditEvent({ grantId: grant.id, at: t0 + (i % 3) * DAY + i * 1_000, type: "reminded" }),
    );
    await store().create(grant, events);
    const { entries, pages } = await readAll(store(), { from: t0, to: t0 + 3 * DAY }, 10);
    expect(pages.every((size) => size <= 10)).toBe(true);
    expect(pages.length).toBeGreaterThanOrEqual(5);
    const times = entries.map((e) => e.event.at);
    expect(times).toEqual(events.map((e) => e.at).sort((a, b) => a - b));
    expect(await readAll(store(), { from: t0 + 4 * DAY, to: t0 + 5 * DAY })).toEqual({
      entries: [],
      pages: [0],
    });
  });
}
