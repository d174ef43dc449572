import {
  GetGroupIdCommand,
  GetUserIdCommand,
  type IdentitystoreClient,
  IsMemberInGroupsCommand,
} from "@aws-sdk/client-identitystore";
import { describe, expect, it } from "vitest";
import { Directory } from "../../../../src/adapters/identity-center/directory.js";

/** The Identity Store calls the directory makes, answered from names and counted by operation. */
function directoryOf(maxEntries: number) {
  const calls: string[] = [];
  const clock = { at: 1_000_000, now: () => clock.at };
  const client = {
    send: async (command: unknown) => {
      if (command instanceof GetUserIdCommand) {
        calls.push(`GetUserId ${command.input.AlternateIdentifier?.UniqueAttribute?.AttributeValue}`);
        return { UserId: `u-${command.input.AlternateIdentifier?.UniqueAttribute?.AttributeValue}` };
      }
      if (command instanceof GetGroupIdCommand) {
        calls.push("GetGroupId");
        return { GroupId: `g-${command.input.AlternateIdentifier?.UniqueAttribute?.AttributeValue}` };
      }
      if (command instanceof IsMemberInGroupsCommand) {
        calls.push(`IsMemberInGroups ${command.input.GroupIds?.length}`);
        const ids = command.input.GroupIds ?? [];
        return { Results: ids.map((GroupId) => ({ GroupId, MembershipExists: GroupId !== "g-Auditors" })) };
      }
      throw new Error(`unexpected ${String(command)}`);
    },
  } as unknown as IdentitystoreClient;
  const directory = new Directory({
    client,
    identityStoreId: async () => "d-1234567890",
    call: (_operation, send) => send(),
    clock,
    ttlMs: 300_000,
    negativeTtlMs: 30_000,
    maxEntries,
  });
  return { calls, clock, directory };
}

describe("Directory caches", () => {
  it("asks again for the user looked up longest ago once more users than the bound were looked up", async () => {
    const { calls, directory } = directoryOf(2);
    for (const email of [
      "a@example.com",
      "b@example.com",
      "c@example.com",
      "a@example.com",
      "c@example.com",
    ]) {
      await directory.userIdByEmail(email);
    }
    expect(calls).toEqual([
      "GetUserId a@example.com",
      "GetUserId b@example.com",
      "GetUserId c@example.com",
      "GetUserId a@example.com",
    ]);
  });

  it("answers membership of more groups than the bound holds in one question", async () => {
    const { calls, directory } = directoryOf(2);
    const groups = ["Admins", "Engineers", "Auditors", "Operators"];
    expect(await directory.groupsOf("u-1", groups)).toEqual(["Admins", "Engineers", "Operators"]);
    expect(calls.filter((call) => call.startsWith("IsMember"))).toEqual(["IsMemberInGroups 4"]);
  });

  it("keeps the newest memberships within the bound and asks again for the rest", async () => {
    const { calls, directory } = directoryOf(3);
    await directory.groupsOf("u-1", ["Admins"]);
    await directory.groupsOf("u-2", ["Admins"]);
    await directory.groupsOf("u-3", ["Admins"]);
    await directory.groupsOf("u-4", ["Admins"]);
    await directory.groupsOf("u-4", ["Admins"]);
    await directory.groupsOf("u-1", ["Admins"]);
    expect(calls.filter((call) => call.startsWith("IsMember"))).toHaveLength(5);
  });

  it("asks again once a cached membership has expired", async () => {
    const { calls, clock, directory } = directoryOf(10);
    await directory.groupsOf("u-1", ["Admins"]);
    clock.at += 300_000;
    expect(await directory.groupsOf("u-1", ["Admins"])).toEqual(["Admins"]);
    expect(calls.filter((call) => call.startsWith("IsMember"))).toHaveLength(2);
  });
});
