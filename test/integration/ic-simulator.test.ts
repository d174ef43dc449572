import {
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsForMemberCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-identitystore";
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  InternalServerException,
  ListAccountAssignmentsForPrincipalCommand,
  ListInstancesCommand,
  paginateListAccountAssignments,
  paginateListPermissionSets,
  SSOAdminClient,
  ThrottlingException,
} from "@aws-sdk/client-sso-admin";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DEFAULT_INSTANCE,
  IdentityCenterSimulator,
  type SimCall,
  type SimStats,
  type SimUser,
} from "../../src/sim/identity-center/index.js";
import { icClients, type RunningSimulator, startSimulator } from "../support/ic.js";

const PROD = "222222222222";
type SimSnapshot = ReturnType<IdentityCenterSimulator["snapshot"]>;
const { instanceArn: InstanceArn, identityStoreId: IdentityStoreId } = DEFAULT_INSTANCE;

let ic: RunningSimulator;
let alice: SimUser;
let psArn: string;

beforeEach(async () => {
  ic = await startSimulator();
  ic.sim.addAccount({ id: PROD });
  psArn = ic.sim.addPermissionSet({ name: "ReadOnly", description: "read only" }).arn;
  alice = ic.sim.addUser({ userName: "alice", emails: ["Alice@Example.com"] });
});

afterEach(async () => {
  await ic.close();
});

function assignmentInput(principalId: string, principalType: "USER" | "GROUP" = "USER") {
  return {
    InstanceArn,
    TargetId: PROD,
    TargetType: "AWS_ACCOUNT" as const,
    PermissionSetArn: psArn,
    PrincipalType: principalType,
    PrincipalId: principalId,
  };
}

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

  it("answers throttling as HTTP 400 with __type and x-amzn-ErrorType", async () => {
    ic.sim.setFaults({ throttleShare: 1 });

    const res = await fetch(ic.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "SWBExternalService.ListInstances",
      },
      body: "{}",
    });

    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("ThrottlingException");
    expect(await res.json()).toEqual({
      __type: "com.amazonaws.ssoadmin#ThrottlingException",
      Message: "Rate exceeded",
    });
  });

  it("is read by the SDK as a ThrottlingException, which the SDK's own retry strategy retries", async () => {
    ic.sim.setFaults({ throttleShare: 1 });
    const retrying = icClients(ic.endpoint, { maxAttempts: 2 });
    try {
      const call = retrying.ssoAdmin.send(new ListInstancesCommand({}));

      await expect(call).rejects.toBeInstanceOf(ThrottlingException);
      await expect(call).rejects.toMatchObject({
        message: "Rate exceeded",
        $fault: "client",
        $metadata: { httpStatusCode: 400, attempts: 2 },
      });
      expect(ic.sim.calls()).toHaveLength(2);
    } finally {
      retrying.ssoAdmin.destroy();
      retrying.identityStore.destroy();
    }
  });

  it("answers injected server errors as InternalServerException with HTTP 500", async () => {
    ic.sim.setFaults({ failOperations: ["ListInstances"] });

    const call = ic.ssoAdmin.send(new ListInstancesCommand({}));

    await expect(call).rejects.toBeInstanceOf(InternalServerException);
    await expect(call).rejects.toMatchObject({ $fault: "server", $metadata: { httpStatusCode: 500 } });
  });

  it("reports a creation IN_PROGRESS and lands it asynchronously as SUCCEEDED", async () => {
    ic.sim.setFaults({ delayMs: 30 });

    const started = await ic.ssoAdmin.send(new CreateAccountAssignmentCommand(assignmentInput(alice.id)));

    expect(started.AccountAssignmentCreationStatus).toMatchObject({
      Status: "IN_PROGRESS",
      PrincipalId: alice.id,
      TargetId: PROD,
    });
    expect(ic.sim.assignments()).toEqual([]);
    const requestId = started.AccountAssignmentCreationStatus?.RequestId;
    await vi.waitFor(async () => {
      const out = await ic.ssoAdmin.send(
        new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn,
          AccountAssignmentCreationRequestId: requestId,
        }),
      );
      expect(out.AccountAssignmentCreationStatus?.Status).toBe("SUCCEEDED");
    });
    expect(ic.sim.assignments()).toEqual([
      { principalType: "USER", principalId: alice.id, accountId: PROD, permissionSetArn: psArn },
    ]);
  });

  it("succeeds creating an existing assignment and fails deleting a missing one, with a reason", async () => {
    ic.sim.addAssignment({
      principalType: "USER",
      principalId: alice.id,
      accountId: PROD,
      permissionSetArn: psArn,
    });
    const bob = ic.sim.addUser({ userName: "bob", emails: ["bob@example.com"] });

    const created = await ic.ssoAdmin.send(new CreateAccountAssignmentCommand(assignmentInput(alice.id)));
    const deleted = await ic.ssoAdmin.send(new DeleteAccountAssignmentCommand(assignmentInput(bob.id)));

    await vi.waitFor(async () => {
      const c = await ic.ssoAdmin.send(
        new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn,
          AccountAssignmentCreationRequestId: created.AccountAssignmentCreationStatus?.RequestId,
        }),
      );
      const d = await ic.ssoAdmin.send(
        new DescribeAccountAssignmentDeletionStatusCommand({
          InstanceArn,
          AccountAssignmentDeletionRequestId: deleted.AccountAssignmentDeletionStatus?.RequestId,
        }),
      );
      expect(c.AccountAssignmentCreationStatus?.Status).toBe("SUCCEEDED");
      expect(d.AccountAssignmentDeletionStatus).toMatchObject({
        Status: "FAILED",
        FailureReason: "The account assignment does not exist",
      });
    });
  });

  it("answers ConflictException while an operation on the same assignment is in progress", async () => {
    ic.sim.setFaults({ delayMs: 10_000 });
    await ic.ssoAdmin.send(new CreateAccountAssignmentCommand(assignmentInput(alice.id)));

    await expect(
      ic.ssoAdmin.send(new DeleteAccountAssignmentCommand(assignmentInput(alice.id))),
    ).rejects.toMatchObject({
      name: "ConflictException",
    });
  });

  it("throttles creations beyond the outstanding limit and counts the demand", async () => {
    ic.sim.setFaults({ delayMs: 10_000, maxOutstanding: 2 });
    const users = ["u1", "u2", "u3"].map((name) =>
      ic.sim.addUser({ userName: name, emails: [`${name}@example.com`] }),
    );
    const create = (u: SimUser) =>
      ic.ssoAdmin.send(new CreateAccountAssignmentCommand(assignmentInput(u.id)));
    const [u1, u2, u3] = users as [SimUser, SimUser, SimUser];
    await create(u1);
    await create(u2);

    await expect(create(u3)).rejects.toThrow(
      /Too many outstanding account assignment operations \(limit 2\)/,
    );
    expect(ic.sim.stats()).toMatchObject({ maxOutstandingCreations: 3, throttled: { outstanding: 1 } });
  });

  it("throttles SSO Admin calls beyond requestsPerSecond within a sliding second", () => {
    let now = 0;
    const sim = new IdentityCenterSimulator({ now: () => now, faults: { requestsPerSecond: 2 } });
    const statuses = [0, 100, 200, 1_000, 1_100].map((at) => {
      now = at;
      return sim.handle("SWBExternalService.ListInstances", {}).status;
    });

    expect(statuses).toEqual([200, 200, 400, 200, 200]);
    expect(sim.stats()).toMatchObject({ ssoAdminCalls: 5, throttled: { rate: 1 } });
    expect(sim.calls()[2]?.outcome).toBe("ThrottlingException");
  });

  it("throttles the same calls for the same seed", () => {
    const outcomes = () => {
      const sim = new IdentityCenterSimulator({ faults: { throttleShare: 0.5, seed: 42 } });
      return Array.from({ length: 40 }, () => sim.handle("SWBExternalService.ListInstances", {}).status);
    };

    const first = outcomes();

    expect(outcomes()).toEqual(first);
    expect(first).toContain(400);
    expect(first).toContain(200);
  });

  it("counts SSO Admin calls in a one-second sliding window", () => {
    let now = 0;
    const sim = new IdentityCenterSimulator({ now: () => now });
    for (const at of [0, 300, 600, 900, 1_000, 1_250, 2_500]) {
      now = at;
      sim.handle("SWBExternalService.ListInstances", {});
    }
    sim.handle("AWSIdentityStore.GetUserId", {});

    expect(sim.stats()).toMatchObject({ calls: 8, ssoAdminCalls: 7, maxSsoAdminCallsPerSecond: 5 });
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
