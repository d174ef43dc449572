import { expect, it } from "vitest";
import type { GrantChange, GrantStore, Notice } from "../../src/app/ports.js";
import { GrantChangedConcurrently, NoticeChangedConcurrently } from "../../src/domain/errors.js";
import type { Grant } from "../../src/domain/grant.js";
import { aGrant, anAuditEvent } from "./grant-builder.js";

/** A pending notice about `grant`, due at `at`. */
function aNotice(grant: Grant, n: number, at: number): Notice {
  return {
    id: `${grant.id}#${grant.version}#${n}`,
    grantId: grant.id,
    grant,
    body: { kind: "dm", notice: "granted" },
    createdAt: at,
    state: "pending",
    dueAt: at,
    attempts: 0,
    version: 1,
  };
}

function moveOn(grant: Grant, token: string, notices: Notice[] = []): GrantChange {
  const next = { ...grant, version: grant.version + 1, status: "active" as const } as Grant;
  return {
    grant: next,
    expect: { status: grant.status, version: grant.version },
    audit: [anAuditEvent({ grantId: grant.id, type: "activated", status: "active" })],
    notices,
    token,
  };
}

/** Notices and idempotent writes in the GrantStore contract; each case uses its own far-off times and ids. */
export function noticeContract(store: () => GrantStore): void {
  it("records the notices of a change in its transaction and lists them when due, oldest first", async () => {
    const at = Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 1e9);
    const grant = aGrant({ status: "provisioning" });
    await store().create(grant, [], [aNotice(grant, 0, at)]);
    const change = moveOn(grant, `t-${grant.id}`, [aNotice({ ...grant, version: 2 }, 0, at + 5)]);
    await store().save(change);
    const due = (await store().dueNotices(at + 10, 1000)).filter((n) => n.grantId === grant.id);
    expect(due.map((n) => n.id)).toEqual([`${grant.id}#1#0`, `${grant.id}#2#0`]);
    expect(due[0]?.grant).toEqual(grant);
    expect((await store().dueNotices(at - 1, 1000)).some((n) => n.grantId === grant.id)).toBe(false);
  });

  it("claims a notice once, and a sent notice is no longer due", async () => {
    const at = Date.UTC(2032, 0, 1) + Math.floor(Math.random() * 1e9);
    const grant = aGrant();
    const notice = aNotice(grant, 0, at);
    await store().create(grant, [], [notice]);
    const claimed = { ...notice, version: 2, attempts: 1, dueAt: at + 60_000 };
    await store().saveNotice(claimed, 1);
    await expect(store().saveNotice({ ...claimed }, 1)).rejects.toBeInstanceOf(NoticeChangedConcurrently);
    const sent: Notice = { ...claimed, version: 3, state: "sent" };
    delete sent.dueAt;
    await store().saveNotice(sent, 2);
    const due = await store().dueNotices(at + 120_000, 1000);
    expect(due.some((n) => n.id === notice.id)).toBe(false);
  });

  it("counts a change written again with its own token as done, once", async () => {
    const grant = aGrant();
    await store().create(grant, []);
    const change = moveOn(grant, `lost-${grant.id}`);
    await store().save(change);
    // The answer was lost and the same change is sent again: it is already there.
    await store().save(change);
    expect(await store().get(grant.id)).toEqual(change.grant);
    expect((await store().auditOf(grant.id)).filter((e) => e.type === "activated")).toHaveLength(1);
  });

  it("still refuses a different change on a stale version", async () => {
    const grant = aGrant();
    await store().create(grant, []);
    await store().save(moveOn(grant, `first-${grant.id}`));
    await expect(store().save(moveOn(grant, `second-${grant.id}`))).rejects.toBeInstanceOf(
      GrantChangedConcurrently,
    );
  });
}
