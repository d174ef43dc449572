import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { type IGrantable, type IRole, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { type IScheduleGroup, ScheduleGroupGrants } from "aws-cdk-lib/aws-scheduler";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";

/** What the Identity Center statements may touch: one instance, its store, the configured sets and accounts. */
export interface IdentityCenterScope {
  instanceArn: string;
  identityStoreId: string;
  accountIds: string[];
  permissionSetArns: string[];
}

/** The resources a function's calls are granted on. */
export interface GrantTargets {
  identityCenter: IdentityCenterScope;
  table: ITable;
  scheduleGroup: IScheduleGroup;
  /** The role schedules run as: the only role a function may pass, and only to EventBridge Scheduler. */
  invokeRole: IRole;
  slackSecret: ISecret;
  /** The only function the functions invoke (the worker also wakes itself). */
  worker: IFunction;
}

/** Assignment actions, evaluated against the instance, the permission set and the account. */
const ASSIGNMENT_ACTIONS = [
  "sso:CreateAccountAssignment",
  "sso:DeleteAccountAssignment",
  "sso:ListAccountAssignments",
];
/** Request status actions, evaluated against the instance only. */
const STATUS_ACTIONS = [
  "sso:DescribeAccountAssignmentCreationStatus",
  "sso:DescribeAccountAssignmentDeletionStatus",
  "sso:ListAccountAssignmentCreationStatus",
  "sso:ListAccountAssignmentDeletionStatus",
];

/** Session durations of the configured permission sets, evaluated against the instance and the permission set. */
const DESCRIBE_SET = "sso:DescribePermissionSet";

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

/** The identity store and its users, groups and memberships, whose ARNs name no account. */
export function identityStoreResources(scope: IdentityCenterScope): string[] {
  const partition = partitionOf(scope.instanceArn);
  return [
    `arn:${partition}:identitystore::*:identitystore/${scope.identityStoreId}`,
    `arn:${partition}:identitystore:::user/*`,
    `arn:${partition}:identitystore:::group/*`,
    `arn:${partition}:identitystore:::membership/*`,
  ];
}

/** Identity Center statements for the given actions; only sso:ListInstances (no resource type) gets `*`. */
export function identityCenterStatements(scope: IdentityCenterScope, actions: string[]): PolicyStatement[] {
  const pick = (known: string[]) => known.filter((action) => actions.includes(action));
  const statement = (sid: string, chosen: string[], resources: string[]) =>
    chosen.length === 0 ? [] : [new PolicyStatement({ sid, actions: chosen, resources })];
  const identity = actions.filter((action) => action.startsWith("identitystore:"));
  const placed = [...ASSIGNMENT_ACTIONS, ...STATUS_ACTIONS, "sso:ListInstances", DESCRIBE_SET, ...identity];
  const unplaced = actions.filter((action) => !placed.includes(action));
  if (unplaced.length > 0) throw new Error(`no resource scope is defined for ${unplaced.join(", ")}`);
  return [
    ...statement("AssignmentsOnConfiguredTargets", pick(ASSIGNMENT_ACTIONS), assignmentResources(scope)),
    ...statement("AssignmentRequestStatus", pick(STATUS_ACTIONS), [scope.instanceArn]),
    ...statement("FindInstanceNoResourceLevelPermissions", pick(["sso:ListInstances"]), ["*"]),
    ...statement("DescribeConfiguredPermissionSets", pick([DESCRIBE_SET]), [
      scope.instanceArn,
      ...scope.permissionSetArns,
    ]),
    ...statement("ReadIdentityStore", identity, identityStoreResources(scope)),
  ];
}

const SCHEDULE_ACTIONS = ["scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule"];

/** Schedules in the stack's group only; the L2 grants come in pairs, so the declared actions must match them. */
function grantSchedules(grantee: IGrantable, group: IScheduleGroup, actions: string[]): void {
  const [create, update, remove] = SCHEDULE_ACTIONS.map((action) => actions.includes(action));
  const other = actions.filter((action) => !SCHEDULE_ACTIONS.includes(action));
  if (other.length > 0) throw new Error(`no grant is defined for ${other.join(", ")}`);
  if (create !== update)
    throw new Error("scheduler:CreateSchedule and UpdateSchedule are granted together or not at all");
  const grants = ScheduleGroupGrants.fromScheduleGroup(group);
  if (create) grants.writeSchedules(grantee);
  if (remove) grants.deleteSchedules(grantee);
}

/** Item writes that IAM can limit by the item's partition key; reads by index cannot be limited so. */
const ITEM_WRITES = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"];

/** Which items a function's item writes may touch: partition keys matching `leadingKeys`, with only `attributes`. */
export interface ItemScope {
  leadingKeys: readonly string[];
  attributes?: readonly string[] | undefined;
}

/**
 * Grants a function exactly the declared calls, each on its own targets; an action with no known target throws.
 * With `scope`, its DynamoDB calls (item writes only) reach only the items it names.
 */
export function grantCalls(
  grantee: IGrantable,
  calls: readonly string[],
  targets: GrantTargets,
  scope?: ItemScope,
): void {
  const of = (prefix: string) => calls.filter((action) => action.startsWith(`${prefix}:`));
  const dynamo = of("dynamodb");
  if (scope) grantItemWrites(grantee, targets.table, dynamo, scope);
  else if (dynamo.length > 0) targets.table.grant(grantee, ...dynamo);
  grantSchedules(grantee, targets.scheduleGroup, of("scheduler"));
  const identity = identityCenterStatements(targets.identityCenter, [...of("sso"), ...of("identitystore")]);
  for (const statement of identity) grantee.grantPrincipal.addToPrincipalPolicy(statement);
  for (const action of calls.filter((a) => !/^(dynamodb|scheduler|sso|identitystore):/.test(a))) {
    grantOne(grantee, action, targets);
  }
}

/** Item writes on the table itself (no index), only to partitions matching `leadingKeys`, with only `attributes`. */
function grantItemWrites(grantee: IGrantable, table: ITable, actions: string[], scope: ItemScope): void {
  const { leadingKeys, attributes } = scope;
  const other = actions.filter((action) => !ITEM_WRITES.includes(action));
  if (other.length > 0) throw new Error(`leadingKeys limits item writes only, not ${other.join(", ")}`);
  if (actions.length === 0 || leadingKeys.length === 0)
    throw new Error("leadingKeys needs item writes and keys");
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: "WriteOwnPartitionsOnly",
      actions,
      resources: [table.tableArn],
      conditions: {
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [...leadingKeys] },
        ...(attributes ? { "ForAllValues:StringEquals": { "dynamodb:Attributes": [...attributes] } } : {}),
      },
    }),
  );
}

/** The calls that each have one target: the invoke role, the Slack secret, the worker. */
function grantOne(grantee: IGrantable, action: string, targets: GrantTargets): void {
  switch (action) {
    case "iam:PassRole":
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          sid: "PassInvokeRoleToScheduler",
          actions: ["iam:PassRole"],
          resources: [targets.invokeRole.roleArn],
          conditions: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
        }),
      );
      return;
    case "secretsmanager:GetSecretValue":
      // grantRead also adds secretsmanager:DescribeSecret (the secret's metadata, never its value).
      targets.slackSecret.grantRead(grantee);
      return;
    case "lambda:InvokeFunction":
      targets.worker.grantInvoke(grantee);
      return;
    default:
      throw new Error(`no grant is defined for ${action}: add its target to infra/policies.ts`);
  }
}
