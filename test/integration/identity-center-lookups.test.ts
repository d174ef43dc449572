import { describe, expect, it } from "vitest";
import { InstanceNotFound } from "../../src/adapters/identity-center/index.js";
import { DEFAULT_INSTANCE } from "../../src/sim/identity-center/index.js";
import { recordingLogger } from "../support/ic.js";
import { identityCenterForEachTest } from "../support/identity-center-fixtures.js";

const { ic, alice, readOnly, adapter, target } = identityCenterForEachTest();

describe("IdentityCenterAdapter", () => {
  it("uses the configured instance without ListInstances and reports an unknown one clearly", async () => {
    const configured = adapter({
      instanceArn: DEFAULT_INSTANCE.instanceArn,
      identityStoreId: DEFAULT_INSTANCE.identityStoreId,
    });
    await configured.assignmentExists(target(alice));
    expect(ic.sim.calls().map((c) => c.operation)).not.toContain("ListInstances");

    const unknown = adapter({ instanceArn: "arn:aws:sso:::instance/ssoins-0000000000000000" });
    await expect(unknown.assignmentExists(target(alice))).rejects.toThrow(InstanceNotFound);
  });

  it("finds a user by email case-insensitively through the lower-case retry and caches the answer", async () => {
    const ac = adapter();

    expect(await ac.userIdByEmail("Alice@Example.COM")).toBe(alice.id);
    const lookups = ic.sim.calls().filter((c) => c.operation === "GetUserId");
    expect(lookups.map((c) => c.outcome)).toEqual(["ResourceNotFoundException", "ok"]);

    const before = ic.sim.calls().length;
    expect(await ac.userIdByEmail("Alice@Example.COM")).toBe(alice.id);
    expect(ic.sim.calls()).toHaveLength(before);
  });

  it("answers undefined for an unknown email and caches that too", async () => {
    const ac = adapter();

    expect(await ac.userIdByEmail("nobody@example.com")).toBeUndefined();
    expect(await ac.userIdByEmail("nobody@example.com")).toBeUndefined();

    expect(ic.sim.calls().filter((c) => c.operation === "GetUserId")).toHaveLength(1);
  });

  it("asks Identity Center again once a cached answer expires, sooner for unknown users", async () => {
    let now = 0;
    const ac = adapter({ clock: { now: () => now }, cacheTtlMs: 60_000, negativeCacheTtlMs: 5_000 });
    const lookups = () => ic.sim.calls().filter((c) => c.operation === "GetUserId").length;
    await ac.userIdByEmail("alice@example.com");
    await ac.userIdByEmail("nobody@example.com");
    expect(lookups()).toBe(2);

    now = 5_000;
    await ac.userIdByEmail("alice@example.com");
    await ac.userIdByEmail("nobody@example.com");
    expect(lookups()).toBe(3);

    now = 60_000;
    await ac.userIdByEmail("alice@example.com");
    expect(lookups()).toBe(4);
  });

  it("returns the named groups the user belongs to, skips unknown ones once, and caches", async () => {
    const engineers = ic.sim.addGroup({ displayName: "Engineers" });
    ic.sim.addGroup({ displayName: "Organization Administrators" });
    ic.sim.addMember(engineers.id, alice.id);
    const logger = recordingLogger();
    const ac = adapter({ logger });
    const names = ["Engineers", "Organization Administrators", "Ghosts"];

    expect(await ac.groupsOf(alice.id, names)).toEqual(["Engineers"]);
    const before = ic.sim.calls().length;
    expect(await ac.groupsOf(alice.id, names)).toEqual(["Engineers"]);

    expect(ic.sim.calls()).toHaveLength(before);
    expect(ic.sim.calls().filter((c) => c.operation === "IsMemberInGroups")).toHaveLength(1);
    expect(logger.lines.filter((l) => l.msg.includes("group not found"))).toHaveLength(1);
  });

  it("asks Identity Center about membership now when asked fresh, so a removed approver loses it at once", async () => {
    const admins = ic.sim.addGroup({ displayName: "Organization Administrators" });
    ic.sim.addMember(admins.id, alice.id);
    const ac = adapter();
    expect(await ac.groupsOf(alice.id, ["Organization Administrators"])).toEqual([
      "Organization Administrators",
    ]);
    ic.sim.removeMember(admins.id, alice.id);
    expect(await ac.groupsOf(alice.id, ["Organization Administrators"])).toEqual([
      "Organization Administrators",
    ]);
    expect(await ac.groupsOf(alice.id, ["Organization Administrators"], { fresh: true })).toEqual([]);
  });

  it("describes named permission sets with their session duration", async () => {
    const longer = ic.sim.addPermissionSet({ name: "Billing", sessionDuration: "PT8H" });
    const missing = "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-0000000000000000";
    const ac = adapter();

    expect(await ac.describePermissionSets([readOnly.arn, longer.arn, missing])).toEqual([
      { arn: readOnly.arn, found: true, name: "ReadOnly", sessionDuration: "PT1H" },
      { arn: longer.arn, found: true, name: "Billing", sessionDuration: "PT8H" },
      { arn: missing, found: false },
    ]);
  });
});
