import { describe, expect, it } from "vitest";
import { simulatorForEachTest } from "../support/hooks.js";
import { adapterFor, startSeededIdentityCenter } from "../support/identity-center-fixtures.js";

const ic = simulatorForEachTest(async () => {
  const { ic: seeded } = await startSeededIdentityCenter();
  seeded.sim.addGroup({ displayName: "Approvers" });
  seeded.sim.addGroup({ displayName: "Nobody" });
  for (let i = 0; i < 130; i++) {
    seeded.sim.addUser({ userName: `member${i}`, emails: [`member${i}@example.com`, `alt${i}@example.com`] });
    seeded.sim.addMember("Approvers", `member${i}`);
  }
  return seeded;
});

describe("IdentityCenterAdapter's approver group members", () => {
  it("lists members' primary emails across pages up to the limit, and caches them", async () => {
    const adapter = adapterFor(ic);
    const emails = await adapter.groupMemberEmails("Approvers", 120);
    expect(emails).toHaveLength(120);
    expect(emails.every((email) => /^member\d+@example\.com$/.test(email))).toBe(true);
    const calls = ic.sim.calls().filter((c) => c.operation === "ListGroupMemberships");
    expect(calls).toHaveLength(2);
    const before = ic.sim.calls().length;
    expect(await adapter.groupMemberEmails("Approvers", 120)).toEqual(emails);
    expect(ic.sim.calls().length).toBe(before);
  });

  it("finds nobody in an empty group or one Identity Center does not have", async () => {
    const adapter = adapterFor(ic);
    expect(await adapter.groupMemberEmails("Nobody", 10)).toEqual([]);
    expect(await adapter.groupMemberEmails("No Such Group", 10)).toEqual([]);
  });

  it("reads each permission set's session duration", async () => {
    const ps = ic.sim.addPermissionSet({ name: "Short", sessionDuration: "PT2H" });
    const [details] = await adapterFor(ic).describePermissionSets([ps.arn]);
    expect(details).toEqual({ arn: ps.arn, found: true, name: "Short", sessionDuration: "PT2H" });
  });
});
