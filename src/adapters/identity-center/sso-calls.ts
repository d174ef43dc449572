import {
  type AccountAssignmentOperationStatus,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  type SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import type { Clock } from "../../app/ports.js";
import type { AssignmentTarget } from "../../domain/grant.js";
import { InstanceNotFound, StillInProgress, UnexpectedResponse } from "./errors.js";

export interface PollPolicy {
  initialMs: number;
  maxMs: number;
  /** Give up (StillInProgress) after this long. */
  timeoutMs: number;
}

/** What the SSO Admin helpers need: the client and a `call` that applies the limiter and retries. */
export interface SsoAdmin {
  client: SSOAdminClient;
  call<T>(operation: string, send: () => Promise<T>): Promise<T>;
  clock: Clock;
  sleep(ms: number): Promise<void>;
  poll: PollPolicy;
}

export type OperationKind = "creation" | "deletion";

/** The instance named in the config, or the first one, with its identity store. */
export async function findInstance(
  sso: SsoAdmin,
  instanceArn: string | undefined,
): Promise<{ instanceArn: string; identityStoreId: string }> {
  let nextToken: string | undefined;
  do {
    const page = await sso.call("ListInstances", () =>
      sso.client.send(new ListInstancesCommand({ NextToken: nextToken })),
    );
    const match = (page.Instances ?? []).find((i) => !instanceArn || i.InstanceArn === instanceArn);
    if (match?.InstanceArn && match.IdentityStoreId) {
      return { instanceArn: match.InstanceArn, identityStoreId: match.IdentityStoreId };
    }
    nextToken = page.NextToken;
  } while (nextToken);
  throw new InstanceNotFound(
    instanceArn
      ? `Identity Center instance ${instanceArn} is not visible to these credentials`
      : "no Identity Center instance is visible to these credentials; set identityCenter.instanceArn",
  );
}

/** Whether a USER assignment exists, reading every page of ListAccountAssignments until found. */
export async function userAssignmentExists(
  sso: SsoAdmin,
  instanceArn: string,
  target: AssignmentTarget,
): Promise<boolean> {
  let nextToken: string | undefined;
  do {
    const page = await sso.call("ListAccountAssignments", () =>
      sso.client.send(
        new ListAccountAssignmentsCommand({
          InstanceArn: instanceArn,
          AccountId: target.accountId,
          PermissionSetArn: target.permissionSetArn,
          MaxResults: 100,
          NextToken: nextToken,
        }),
      ),
    );
    const found = (page.AccountAssignments ?? []).some(
      (a) => a.PrincipalType === "USER" && a.PrincipalId === target.userId,
    );
    if (found) return true;
    nextToken = page.NextToken;
  } while (nextToken);
  return false;
}

/** Every permission set of the instance with its name. */
export async function permissionSets(
  sso: SsoAdmin,
  instanceArn: string,
): Promise<Array<{ arn: string; name: string }>> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sso.call("ListPermissionSets", () =>
      sso.client.send(
        new ListPermissionSetsCommand({ InstanceArn: instanceArn, MaxResults: 100, NextToken: nextToken }),
      ),
    );
    arns.push(...(page.PermissionSets ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  const out: Array<{ arn: string; name: string }> = [];
  for (const arn of arns) {
    const described = await sso.call("DescribePermissionSet", () =>
      sso.client.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn })),
    );
    out.push({ arn, name: described.PermissionSet?.Name ?? arn });
  }
  return out;
}

async function describe(sso: SsoAdmin, kind: OperationKind, instanceArn: string, requestId: string) {
  if (kind === "creation") {
    const out = await sso.call("DescribeAccountAssignmentCreationStatus", () =>
      sso.client.send(
        new DescribeAccountAssignmentCreationStatusCommand({
          InstanceArn: instanceArn,
          AccountAssignmentCreationRequestId: requestId,
        }),
      ),
    );
    return out.AccountAssignmentCreationStatus ?? {};
  }
  const out = await sso.call("DescribeAccountAssignmentDeletionStatus", () =>
    sso.client.send(
      new DescribeAccountAssignmentDeletionStatusCommand({
        InstanceArn: instanceArn,
        AccountAssignmentDeletionRequestId: requestId,
      }),
    ),
  );
  return out.AccountAssignmentDeletionStatus ?? {};
}

/** Polls a creation or deletion with exponential backoff until it is SUCCEEDED or FAILED. */
export async function settle(
  sso: SsoAdmin,
  kind: OperationKind,
  instanceArn: string,
  first: AccountAssignmentOperationStatus | undefined,
): Promise<AccountAssignmentOperationStatus> {
  const requestId = first?.RequestId;
  if (!first || !requestId) throw new UnexpectedResponse(`no request id in the ${kind} status`);
  const started = sso.clock.now();
  let status = first;
  let wait = sso.poll.initialMs;
  while (status.Status !== "SUCCEEDED" && status.Status !== "FAILED") {
    if (sso.clock.now() - started >= sso.poll.timeoutMs) {
      throw new StillInProgress(requestId, sso.clock.now() - started);
    }
    await sso.sleep(wait);
    wait = Math.min(wait * 2, sso.poll.maxMs);
    status = await describe(sso, kind, instanceArn, requestId);
  }
  return status;
}
