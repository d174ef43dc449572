import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  ListAccountAssignmentDeletionStatusCommand,
  paginateListAccountAssignmentCreationStatus,
  ValidationException,
} from "@aws-sdk/client-sso-admin";
import { describe, expect, it, vi } from "vitest";
import type { SimUser } from "../../src/sim/identity-center/index.js";
import { PROD } from "../support/example-config.js";
import { assignmentInput } from "../support/ic.js";
import { InstanceArn, seededSimulatorForEachTest } from "../support/ic-simulator-fixtures.js";

const { ic, alice, psArn } = seededSimulatorForEachTest();

describe("IdentityCenterSimulator", () => {
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

  it("lists creation statuses by status filter, page by page, with request id and date", async () => {
    const users = ["u1", "u2", "u3", "u4", "u5"].map((name) =>
      ic.sim.addUser({ userName: name, emails: [`${name}@example.com`] }),
    );
    const stuck = users
      .slice(0, 3)
      .map((u) => ({ principalId: u.id, accountId: PROD, permissionSetArn: psArn }));
    ic.sim.setFaults({ delayMs: 5, stuckTuples: stuck });
    const started = [];
    for (const u of users) {
      started.push(await ic.ssoAdmin.send(new CreateAccountAssignmentCommand(assignmentInput(u.id))));
    }
    await vi.waitFor(() => expect(ic.sim.assignments()).toHaveLength(2));
    const list = async (Status?: "IN_PROGRESS" | "SUCCEEDED") => {
      const pages: number[] = [];
      const ids: string[] = [];
      const filter = Status ? { Filter: { Status } } : {};
      for await (const page of paginateListAccountAssignmentCreationStatus(
        { client: ic.ssoAdmin, pageSize: 2 },
        { InstanceArn, ...filter },
      )) {
        pages.push(page.AccountAssignmentsCreationStatus?.length ?? 0);
        ids.push(...(page.AccountAssignmentsCreationStatus ?? []).map((s) => s.RequestId ?? ""));
        expect(page.AccountAssignmentsCreationStatus?.every((s) => s.CreatedDate instanceof Date)).toBe(true);
      }
      return { pages, ids };
    };
    const requestIds = started.map((s) => s.AccountAssignmentCreationStatus?.RequestId);

    expect(await list("IN_PROGRESS")).toEqual({ pages: [2, 1], ids: requestIds.slice(0, 3) });
    expect((await list("SUCCEEDED")).ids).toEqual(requestIds.slice(3));
    expect((await list()).pages).toEqual([2, 2, 1]);
  });

  it("lists deletion statuses apart from creations and rejects an unknown status filter", async () => {
    ic.sim.addAssignment({
      principalType: "USER",
      principalId: alice.id,
      accountId: PROD,
      permissionSetArn: psArn,
    });
    ic.sim.setFaults({ delayMs: 10_000 });
    const deleted = await ic.ssoAdmin.send(new DeleteAccountAssignmentCommand(assignmentInput(alice.id)));
    const listDeletions = (Status: string) =>
      ic.ssoAdmin.send(
        new ListAccountAssignmentDeletionStatusCommand({
          InstanceArn,
          Filter: { Status: Status as "IN_PROGRESS" },
        }),
      );

    expect((await listDeletions("IN_PROGRESS")).AccountAssignmentsDeletionStatus).toEqual([
      expect.objectContaining({
        Status: "IN_PROGRESS",
        RequestId: deleted.AccountAssignmentDeletionStatus?.RequestId,
      }),
    ]);
    await expect(listDeletions("PENDING")).rejects.toBeInstanceOf(ValidationException);
  });
});
