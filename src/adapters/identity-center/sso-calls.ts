import {
  type AccountAssignmentOperationStatus,
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  ListAccountAssignmentCreationStatusCommand,
  ListAccountAssignmentDeletionStatusCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  type SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import type { OperationKind, Priority } from "../../app/ports.js";
import type { AssignmentTarget } from "../../domain/grant.js";
import { IdentityCenterRequestFailed, InstanceNotFound, UnexpectedResponse } from "./errors.js";
import { guardUserOnly, type PrincipalAssignment } from "./guards.js";

/** What the SSO Admin helpers need: the client and a `call` that applies the limiter, retries and translation. */
export interface SsoAdmin {
  client: SSOAdminClient;
  call<T>(operation: string, priority: Priority, send: () => Promise<T>): Promise<T>;
}

/** Polls of deletions serve revocations; polls of creations serve grants. */
export function priorityOf(kind: OperationKind): Priority {
  return kind === "deletion" ? "revoke" : "grant";
}

/** A permission set as `doctor` checks it, or the ARN Identity Center does not know. */
export type PermissionSetDetails =
  | { arn: string; found: true; name: string; sessionDuration: string }
  | { arn: string; found: false };

/** The instance named in the config, or the first one, with its identity store. */
export async function findInstance(
  sso: SsoAdmin,
  instanceArn: string | undefined,
): Promise<{ instanceArn: string; identityStoreId: string }> {
  let nextToken: string | undefined;
  do {
    const page = await sso.call("ListInstances", "grant", () =>
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

/** One CreateAccountAssignment or DeleteAccountAssignment; a deletion passes the USER-only guard first. */
export async function sendWrite(
  client: SSOAdminClient,
  kind: OperationKind,
  instanceArn: string,
  assignment: PrincipalAssignment,
): Promise<AccountAssignmentOperationStatus> {
  const input = {
    InstanceArn: instanceArn,
    TargetId: assignment.accountId,
    TargetType: "AWS_ACCOUNT" as const,
    PermissionSetArn: assignment.permissionSetArn,
    PrincipalType: assignment.principalType,
    PrincipalId: assignment.principalId,
  };
  if (kind === "creation") {
    return (
      (await client.send(new CreateAccountAssignmentCommand(input))).AccountAssignmentCreationStatus ?? {}
    );
  }
  guardUserOnly(assignment);
  return (await client.send(new DeleteAccountAssignmentCommand(input))).AccountAssignmentDeletionStatus ?? {};
}

/** Whether a USER assignment exists, reading every page of ListAccountAssignments until found. */
export async function userAssignmentExists(
  sso: SsoAdmin,
  instanceArn: string,
  target: AssignmentTarget,
  priority: Priority,
): Promise<boolean> {
  let nextToken: string | undefined;
  do {
    const page = await sso.call("ListAccountAssignments", priority, () =>
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

/** Name and session duration of one permission set; `found: false` when Identity Center has no such ARN. */
export async function describePermissionSet(
  sso: SsoAdmin,
  instanceArn: string,
  arn: string,
): Promise<PermissionSetDetails> {
  try {
    const out = await sso.call("DescribePermissionSet", "grant", () =>
      sso.client.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn })),
    );
    const ps = out.PermissionSet;
    // PT1H is Identity Center's own default when a permission set names none.
    return { arn, found: true, name: ps?.Name ?? arn, sessionDuration: ps?.SessionDuration ?? "PT1H" };
  } catch (error) {
    const notFound = error instanceof IdentityCenterRequestFailed && error.kind === "not-found";
    if (notFound) return { arn, found: false };
    throw error;
  }
}

/** One Describe…Status call: where a creation or deletion request stands, with its target. */
export async function describeStatus(
  sso: SsoAdmin,
  kind: OperationKind,
  instanceArn: string,
  requestId: string,
): Promise<AccountAssignmentOperationStatus> {
  const priority = priorityOf(kind);
  const status =
    kind === "creation"
      ? (
          await sso.call("DescribeAccountAssignmentCreationStatus", priority, () =>
            sso.client.send(
              new DescribeAccountAssignmentCreationStatusCommand({
                InstanceArn: instanceArn,
                AccountAssignmentCreationRequestId: requestId,
              }),
            ),
          )
        ).AccountAssignmentCreationStatus
      : (
          await sso.call("DescribeAccountAssignmentDeletionStatus", priority, () =>
            sso.client.send(
              new DescribeAccountAssignmentDeletionStatusCommand({
                InstanceArn: instanceArn,
                AccountAssignmentDeletionRequestId: requestId,
              }),
            ),
          )
        ).AccountAssignmentDeletionStatus;
  if (!status?.Status) throw new UnexpectedResponse(`no status for ${kind} request ${requestId}`);
  return status;
}

/** Request ids of every creation or deletion still IN_PROGRESS, all pages. */
export async function listInProgress(
  sso: SsoAdmin,
  kind: OperationKind,
  instanceArn: string,
): Promise<Set<string>> {
  const priority = priorityOf(kind);
  const ids = new Set<string>();
  let nextToken: string | undefined;
  do {
    const input = {
      InstanceArn: instanceArn,
      Filter: { Status: "IN_PROGRESS" as const },
      MaxResults: 100,
      NextToken: nextToken,
    };
    const page =
      kind === "creation"
        ? await sso
            .call("ListAccountAssignmentCreationStatus", priority, () =>
              sso.client.send(new ListAccountAssignmentCreationStatusCommand(input)),
            )
            .then((out) => ({ items: out.AccountAssignmentsCreationStatus, next: out.NextToken }))
        : await sso
            .call("ListAccountAssignmentDeletionStatus", priority, () =>
              sso.client.send(new ListAccountAssignmentDeletionStatusCommand(input)),
            )
            .then((out) => ({ items: out.AccountAssignmentsDeletionStatus, next: out.NextToken }));
    for (const item of page.items ?? []) {
      if (item.RequestId && item.Status === "IN_PROGRESS") ids.add(item.RequestId);
    }
    nextToken = page.next;
  } while (nextToken);
  return ids;
}
