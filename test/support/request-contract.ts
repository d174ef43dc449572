import { expect, it } from "vitest";
import type { GrantChange, GrantStore, GrantVersion, NewGrant } from "../../src/app/ports.js";
import { GrantChangedConcurrently } from "../../src/domain/errors.js";
import type { Grant } from "../../src/domain/grant.js";
import { aGrant, aGrantId, anAuditEvent } from "./grant-builder.js";

/** The parts of a request of `count`, linked by a fresh request id. */
function aRequest(count: number): { requestId: string; parts: NewGrant[] } {
  const requestId = `r-${aGrantId()}`;
  const parts = Array.from({ length: count }, () => {
    const grant = aGrant({ requestId });
    return { grant, audit: [anAuditEvent({ grantId: grant.id })] };
  });
  return { requestId, parts };
}

/** Approves a grant: pending to provisioning, one version on. */
function approve(grant: Grant, token?: string): GrantChange {
  return {
    grant: { ...grant, version: grant.version + 1, status: "provisioning" } as Grant,
    expect: { status: grant.status, version: grant.version },
    audit: [anAuditEvent({ grantId: grant.id, type: "approved", status: "provisioning" })],
    ...(token ? { token } : {}),
  };
}

/** A grant as it was read, which a write of other grants depends on. */
function asRead(grant: Grant): GrantVersion {
  return { id: grant.id, status: grant.status, version: grant.version };
}

/** Requests of several parts: stored and decided together (see GrantStore.createRequest and saveAll). */
export function requestContract(store: () => GrantStore): void {
  it("stores the parts of a request together and reads them back in order", async () => {
    const { requestId, parts } = aRequest(3);
    await store().createRequest(requestId, parts);
    const read = await store().requestParts(requestId);
    expect(read.map((g) => g.id)).toEqual(parts.map((p) => p.grant.id));
    expect(read.every((g) => g.requestId === requestId)).toBe(true);
    expect(await store().auditOf(parts[1]?.grant.id ?? "")).toHaveLength(1);
  });

  it("reads no parts for an unknown request", async () => {
    expect(await store().requestParts(`r-${aGrantId()}`)).toEqual([]);
  });

  it("stores none of a request's parts when one of their ids is taken", async () => {
    const taken = aGrant();
    await store().create(taken, []);
    const { requestId, parts } = aRequest(2);
    const clash = { grant: { ...taken, requestId }, audit: [] };
    await expect(store().createRequest(requestId, [...parts, clash])).rejects.toBeInstanceOf(
      GrantChangedConcurrently,
    );
    expect(await store().get(parts[0]?.grant.id ?? "")).toBeUndefined();
    expect(await store().requestParts(requestId)).toEqual([]);
  });

  it("writes changes to several grants together", async () => {
    const { requestId, parts } = aRequest(2);
    await store().createRequest(requestId, parts);
    await store().saveAll(parts.map((p) => approve(p.grant)));
    const read = await store().requestParts(requestId);
    expect(read.map((g) => [g.status, g.version])).toEqual([
      ["provisioning", 2],
      ["provisioning", 2],
    ]);
  });

  it("writes none of the changes when one grant was changed since it was read", async () => {
    const { requestId, parts } = aRequest(3);
    await store().createRequest(requestId, parts);
    const [first, second, third] = parts.map((p) => p.grant) as [Grant, Grant, Grant];
    await store().save(approve(second));
    const lost = store().saveAll([approve(first), approve(second), approve(third)]);
    await expect(lost).rejects.toBeInstanceOf(GrantChangedConcurrently);
    await expect(lost).rejects.toMatchObject({ grantId: second.id, current: { version: 2 } });
    expect((await store().get(first.id))?.status).toBe("pending");
    expect((await store().get(third.id))?.status).toBe("pending");
  });

  it("lets exactly one of two racing writes of the same grants through", async () => {
    const { requestId, parts } = aRequest(2);
    await store().createRequest(requestId, parts);
    const grants = parts.map((p) => p.grant);
    const outcomes = await Promise.allSettled([
      store().saveAll(grants.map((g) => approve(g))),
      store().saveAll([...grants].reverse().map((g) => approve(g))),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const read = await store().requestParts(requestId);
    expect(read.map((g) => g.version)).toEqual([2, 2]);
    expect((await store().auditOf(grants[0]?.id ?? "")).filter((e) => e.type === "approved")).toHaveLength(1);
  });

  it("writes changes while the grants they depend on are still as they were read, and nothing to those", async () => {
    const { requestId, parts } = aRequest(2);
    await store().createRequest(requestId, parts);
    const [first, second] = parts.map((p) => p.grant) as [Grant, Grant];
    await store().saveAll([approve(first)], [asRead(second)]);
    expect((await store().requestParts(requestId)).map((g) => [g.status, g.version])).toEqual([
      ["provisioning", 2],
      ["pending", 1],
    ]);
  });

  it("writes none of the changes when a grant they depend on was changed since it was read", async () => {
    const { requestId, parts } = aRequest(2);
    await store().createRequest(requestId, parts);
    const [first, second] = parts.map((p) => p.grant) as [Grant, Grant];
    await store().save(approve(second));
    const lost = store().saveAll([approve(first)], [asRead(second)]);
    await expect(lost).rejects.toBeInstanceOf(GrantChangedConcurrently);
    await expect(lost).rejects.toMatchObject({ grantId: second.id, current: { version: 2 } });
    expect((await store().get(first.id))?.status).toBe("pending");
    expect(await store().auditOf(first.id)).toHaveLength(1);
  });

  it("lets one of two writes of different grants through when each depends on the other's grant", async () => {
    const { requestId, parts } = aRequest(2);
    await store().createRequest(requestId, parts);
    const [first, second] = parts.map((p) => p.grant) as [Grant, Grant];
    const outcomes = await Promise.allSettled([
      store().saveAll([approve(first)], [asRead(second)]),
      store().saveAll([approve(second)], [asRead(first)]),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const lost = outcomes.find((o) => o.status === "rejected");
    expect(lost?.status === "rejected" && lost.reason).toBeInstanceOf(GrantChangedConcurrently);
    const versions = (await store().requestParts(requestId)).map((g) => g.version).sort();
    expect(versions).toEqual([1, 2]);
  });

  it("counts a repeated write of several grants whose answer was lost as done", async () => {
    const { requestId, parts } = aRequest(2);
    await store().createRequest(requestId, parts);
    const changes = parts.map((p, i) => approve(p.grant, `tok-${aGrantId()}-${i}`));
    await store().saveAll(changes);
    await store().saveAll(changes);
    expect(
      (await store().auditOf(parts[0]?.grant.id ?? "")).filter((e) => e.type === "approved"),
    ).toHaveLength(1);
  });
}
