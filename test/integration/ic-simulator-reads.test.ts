import {
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsForMemberCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-identitystore";
import {
  DescribePermissionSetCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListInstancesCommand,
  paginateListAccountAssignments,
  paginateListPermissionSets,
  SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { describe, expect, it, vi } from "vitest";
import type { SimCall, SimStats } from "../../src/sim/identity-center/index.js";
import { PROD } from "../support/example-config.js";
import {
  IdentityStoreId,
  InstanceArn,
  type SimSnapshot,
  seededSimulatorForEachTest,
} from "../support/ic-simulator-fixtures.js";

const { ic, alice, psArn } = seededSimulatorForEachTest();

describe("IdentityCenterSimulator", () => {
  it("serves SDK clients configured only through AWS_ENDPOINT_URL_SSO_ADMIN and AWS_ENDPOINT_URL_IDENTITYSTORE", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL_SSO_ADMIN", ic.endpoint);
    vi.stubEnv("AWS_ENDPOINT_URL_IDENTITYSTORE", ic.endpoint);
    const credentials = { accessKeyId: "AKID", secretAccessKey: "secret" };
    const ssoAdmin = new SSOAdminClient({ region: "eu-west-1", credentials, maxAttempts: 1 });
    const identityStore = new IdentitystoreClient({ region: "eu-west-1", credentials, maxAttempts: 1 });
    try {
      const instances = await ssoAdmin.send(new ListInstancesCommand({}));
      const user = await identityStore.send(
        new GetUserIdCommand({
          IdentityStoreId,
          AlternateIdentifier: {
            UniqueAttribute: { AttributePath: "emails.value", AttributeValue: "Alice@Example.com" },
          },
        }),
      );

      expect(instances.Instances?.map((i) => i.InstanceArn)).toEqual([InstanceArn]);
      expect(user.UserId).toBe(alice.id);
    } finally {
      ssoAdmin.destroy();
      identityStore.destroy();
      vi.unstubAllEnvs();
    }
  });

  it("pages ListAccountAssignments with MaxResults and NextToken", async () => {
    for (let i = 0; i < 5; i += 1) {
      ic.sim.addAssignment({
        principalType: "USER",
        principalId: `u-${i}`,
        accountId: PROD,
        permissionSetArn: psArn,
      });
    }
    const pages: number[] = [];
    const seen: string[] = [];
    const input = { InstanceArn, AccountId: PROD, PermissionSetArn: psArn };

    for await (const page of paginateListAccountAssignments({ client: ic.ssoAdmin, pageSize: 2 }, input)) {
      pages.push(page.AccountAssignments?.length ?? 0);
      seen.push(...(page.AccountAssignments ?? []).map((a) => a.PrincipalId ?? ""));
    }

    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual(["u-0", "u-1", "u-2", "u-3", "u-4"]);
  });

  it("filters ListAccountAssignmentsForPrincipal by account", async () => {
    ic.sim.addAccount({ id: "333333333333" });
    ic.sim.addAssignment({
      principalType: "USER",
      principalId: alice.id,
      accountId: PROD,
      permissionSetArn: psArn,
    });
    ic.sim.addAssignment({
      principalType: "USER",
      principalId: alice.id,
      accountId: "333333333333",
      permissionSetArn: psArn,
    });

    const out = await ic.ssoAdmin.send(
      new ListAccountAssignmentsForPrincipalCommand({
        InstanceArn,
        PrincipalId: alice.id,
        PrincipalType: "USER",
        Filter: { AccountId: PROD },
      }),
    );

    expect(out.AccountAssignments).toEqual([
      { AccountId: PROD, PermissionSetArn: psArn, PrincipalId: alice.id, PrincipalType: "USER" },
    ]);
  });

  it("lists and describes permission sets", async () => {
    ic.sim.addPermissionSet({ name: "Admin" });
    const arns: string[] = [];
    for await (const page of paginateListPermissionSets(
      { client: ic.ssoAdmin, pageSize: 1 },
      { InstanceArn },
    )) {
      arns.push(...(page.PermissionSets ?? []));
    }
    const described = await ic.ssoAdmin.send(
      new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn: psArn }),
    );

    expect(arns).toHaveLength(2);
    expect(described.PermissionSet).toMatchObject({
      Name: "ReadOnly",
      Description: "read only",
      PermissionSetArn: psArn,
    });
    expect(described.PermissionSet?.CreatedDate).toBeInstanceOf(Date);
  });

  it("lists a user's group memberships", async () => {
    const engineers = ic.sim.addGroup({ displayName: "Engineers" });
    ic.sim.addMember("Engineers", "alice");

    const out = await ic.identityStore.send(
      new ListGroupMembershipsForMemberCommand({ IdentityStoreId, MemberId: { UserId: alice.id } }),
    );

    expect(out.GroupMemberships?.map((m) => [m.GroupId, m.MemberId?.UserId])).toEqual([
      [engineers.id, alice.id],
    ]);
  });

  it("matches emails exactly and answers ResourceNotFoundException like AWS", async () => {
    const lookup = ic.identityStore.send(
      new GetUserIdCommand({
        IdentityStoreId,
        AlternateIdentifier: {
          UniqueAttribute: { AttributePath: "emails.value", AttributeValue: "alice@example.com" },
        },
      }),
    );

    await expect(lookup).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(lookup).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      ResourceType: "USER",
      $fault: "client",
    });
  });
  it("is seeded, driven and read through the /_sim/ admin API", async () => {
    const get = <T>(path: string) => fetch(`${ic.endpoint}${path}`).then((r) => r.json() as Promise<T>);
    const post = (path: string, body: unknown) =>
      fetch(`${ic.endpoint}${path}`, { method: "POST", body: JSON.stringify(body) }).then((r) => r.json());

    await post("/_sim/seed", {
      users: [{ userName: "carol", emails: ["carol@example.com"] }],
      groups: [{ displayName: "Ops", members: ["carol"] }],
    });
    const faults = await post("/_sim/faults", { delayMs: 0, throttleShare: 0 });
    await ic.ssoAdmin.send(new ListInstancesCommand({}));
    const state = await get<SimSnapshot>("/_sim/state");
    const { calls, stats } = await get<{ calls: SimCall[]; stats: SimStats }>("/_sim/calls");

    expect(faults).toMatchObject({ delayMs: 0, maxOutstanding: 15 });
    expect(state.users.map((u) => u.userName)).toEqual(["alice", "carol"]);
    expect(state.groups[0]?.members).toHaveLength(1);
    expect(calls.map((c) => c.operation)).toEqual(["ListInstances"]);
    expect(stats.ssoAdminCalls).toBe(1);
    await post("/_sim/reset", {});
    expect((await get<SimSnapshot>("/_sim/state")).users).toEqual([]);
  });
});
