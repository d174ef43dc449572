import { PolicyStatement } from "aws-cdk-lib/aws-iam";

/** What the Identity Center statements may touch: one instance, its store, the configured sets and accounts. */
export interface IdentityCenterScope {
  instanceArn: string;
  identityStoreId: string;
  accountIds: string[];
  permissionSetArns: string[];
}

/** Which assignment writes a function may make: the Slack function never creates one. */
export type AssignmentWrites = "create-and-delete" | "delete-only";

function partitionOf(instanceArn: string): string {
  return instanceArn.split(":")[1] ?? "aws";
}

/** The ARNs that sso:Create/DeleteAccountAssignment and ListAccountAssignments are evaluated against. */
export function assignmentResources(scope: IdentityCenterScope): string[] {
  const partition = partitionOf(scope.instanceArn);
  return [
    scope.instanceArn,
    ...scope.permissionSetArns,
    ...scope.accountIds.map((id) => `arn:${partition}:sso:::account/${id}`),
  ];
}

/** Identity Center access limited to the configured targets; only sso:ListInstances (no resource type) gets `*`. */
export function identityCenterStatements(
  scope: IdentityCenterScope,
  writes: AssignmentWrites,
): PolicyStatement[] {
  const partition = partitionOf(scope.instanceArn);
  const assignmentActions =
    writes === "create-and-delete"
      ? ["sso:CreateAccountAssignment", "sso:DeleteAccountAssignment"]
      : ["sso:DeleteAccountAssignment"];
  return [
    new PolicyStatement({
      sid: "AssignmentsOnConfiguredTargets",
      actions: [...assignmentActions, "sso:ListAccountAssignments"],
      resources: assignmentResources(scope),
    }),
    new PolicyStatement({
      sid: "AssignmentRequestStatus",
      actions: ["sso:DescribeAccountAssignmentCreationStatus", "sso:DescribeAccountAssignmentDeletionStatus"],
      resources: [scope.instanceArn],
    }),
    new PolicyStatement({
      sid: "FindInstanceNoResourceLevelPermissions",
      actions: ["sso:ListInstances"],
      resources: ["*"],
    }),
    new PolicyStatement({
      sid: "ReadIdentityStore",
      actions: [
        "identitystore:GetUserId",
        "identitystore:GetGroupId",
        "identitystore:IsMemberInGroups",
        "identitystore:DescribeUser",
        "identitystore:ListGroupMembershipsForMember",
      ],
      resources: [
        `arn:${partition}:identitystore::*:identitystore/${scope.identityStoreId}`,
        `arn:${partition}:identitystore:::user/*`,
        `arn:${partition}:identitystore:::group/*`,
        `arn:${partition}:identitystore:::membership/*`,
      ],
    }),
  ];
}

/** Create, move and delete one-time schedules in the stack's group only, and hand them the invoke role. */
export function schedulerStatements(scheduleArnPattern: string, invokeRoleArn: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: "GrantExpirySchedules",
      actions: ["scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule"],
      resources: [scheduleArnPattern],
    }),
    new PolicyStatement({
      sid: "PassInvokeRoleToScheduler",
      actions: ["iam:PassRole"],
      resources: [invokeRoleArn],
      conditions: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
    }),
  ];
}
