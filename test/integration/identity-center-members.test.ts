import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../support/ic.js";
import { adapterFor, startSeededIdentityCenter } from "../support/identity-center-fixtures.js";

let ic: RunningSimulator;

beforeEach(async () => {
  ({ ic } = await startSeededIdentityCenter());
  ic.sim.addGroup({ displayName: "Approvers" });
  ic.sim.addGroup({ displayName: "Nobody" });
  for (let i = 0; i < 130; i++) {
    ic.sim.addUser({ userName: `member${i}`, emails: [`member${i}@example.com`, `alt${i}@example.com`] });
    ic.sim.addMember("Approvers", `member${i}`);
  }
});

afterEach(async () => {
  await ic.close();
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
