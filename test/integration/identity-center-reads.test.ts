import { describe, expect, it } from "vitest";
import { DEFAULT_INSTANCE } from "../../src/sim/identity-center/index.js";
import { callsOf } from "../support/ic.js";
import { identityCenterForEachTest } from "../support/identity-center-fixtures.js";

const { ic, adapter, readOnly, admin } = identityCenterForEachTest();

describe("IdentityCenterAdapter, reads outside the expiry engine", () => {
  it("spaces permission set reads by the read interval, so an instance without the lease keeps to its share", async () => {
    const ac = adapter({ ...DEFAULT_INSTANCE, limits: { readIntervalMs: 300 } });

    const read = await ac.describePermissionSets([readOnly.arn, admin.arn, readOnly.arn]);

    expect(read.map((r) => r.found)).toEqual([true, true, true]);
    const at = callsOf(ic, "DescribePermissionSet").map((c) => c.at);
    expect(at).toHaveLength(3);
    for (let i = 1; i < at.length; i += 1)
      expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBeGreaterThanOrEqual(290);
  });

  it("reads at the request rate alone when no interval is set", async () => {
    const ac = adapter(DEFAULT_INSTANCE);

    const read = await ac.describePermissionSets([readOnly.arn, admin.arn]);

    expect(read.map((r) => r.found)).toEqual([true, true]);
    expect(callsOf(ic, "DescribePermissionSet")).toHaveLength(2);
  });
});
