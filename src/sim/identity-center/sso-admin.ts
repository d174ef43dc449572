import {
  epochSeconds,
  type Input,
  notFound,
  optionalString,
  paginate,
  requireString,
  validation,
} from "./protocol.js";
import type { SimState } from "./state.js";
import type { PrincipalType, SimAssignment, SimOperation } from "./types.js";

export type Handler = (input: Input) => unknown;

/** What the SSO Admin operations need from the simulator besides its state. */
export interface SsoAdminContext {
  state: SimState;
  /** Starts an asynchronous creation or deletion; throws Conflict or Throttling like AWS. */
  begin(kind: SimOperation["kind"], assignment: SimAssignment): SimOperation;
}

const LIST_LIMITS = { defaultMax: 100, max: 100 };

function checkInstance(state: SimState, input: Input): void {
  const arn = requireString(input, "InstanceArn");
  if (arn !== state.instance.instanceArn) throw notFound(`Instance ${arn} does not exist`);
}

function principalType(input: Input): PrincipalType {
  const value = requireString(input, "PrincipalType");
  if (value !== "USER" && value !== "GROUP") throw validation("PrincipalType must be USER or GROUP");
  return value;
}

function checkPermissionSet(state: SimState, arn: string): void {
  if (!state.permissionSets.has(arn)) throw notFound(`Could not find PermissionSet with ARN ${arn}`);
}

/** The assignment a Create/DeleteAccountAssignment request names. */
function assignmentOf(state: SimState, input: Input): SimAssignment {
  checkInstance(state, input);
  const targetType = requireString(input, "TargetType");
  if (targetType !== "AWS_ACCOUNT") throw validation("TargetType must be AWS_ACCOUNT");
  const accountId = requireString(input, "TargetId");
  if (!/^\d{12}$/.test(accountId)) throw validation("TargetId must be a 12-digit account id");
  const permissionSetArn = requireString(input, "PermissionSetArn");
  checkPermissionSet(state, permissionSetArn);
  return {
    accountId,
    permissionSetArn,
    principalType: principalType(input),
    principalId: requireString(input, "PrincipalId"),
  };
}

/** AccountAssignmentOperationStatus as the SDK reads it. */
export function operationStatus(op: SimOperation) {
  return {
    Status: op.status,
    RequestId: op.requestId,
    ...(op.failureReason === undefined ? {} : { FailureReason: op.failureReason }),
    TargetId: op.assignment.accountId,
    TargetType: "AWS_ACCOUNT",
    PermissionSetArn: op.assignment.permissionSetArn,
    PrincipalType: op.assignment.principalType,
    PrincipalId: op.assignment.principalId,
    CreatedDate: epochSeconds(op.createdAt),
  };
}

function describeOperation(state: SimState, input: Input, kind: SimOperation["kind"], idMember: string) {
  checkInstance(state, input);
  const requestId = requireString(input, idMember);
  const op = state.operations.get(requestId);
  if (!op || op.kind !== kind) throw notFound(`Request ${requestId} does not exist`);
  return operationStatus(op);
}

/** List…Status: request id, status and date of each operation of a kind, oldest first, optionally by status. */
function listOperations(state: SimState, input: Input, kind: SimOperation["kind"]) {
  checkInstance(state, input);
  const filter = input.Filter;
  let status: string | undefined;
  if (filter !== undefined && filter !== null) {
    if (typeof filter !== "object" || Array.isArray(filter)) throw validation("Filter must be an object");
    status = optionalString(filter as Input, "Status");
    if (status !== undefined && !["IN_PROGRESS", "SUCCEEDED", "FAILED"].includes(status)) {
      throw validation("Filter.Status must be IN_PROGRESS, SUCCEEDED or FAILED");
    }
  }
  const all = [...state.operations.values()].filter(
    (op) => op.kind === kind && (status === undefined || op.status === status),
  );
  const { page, nextToken } = paginate(all, input, LIST_LIMITS);
  return {
    items: page.map((op) => ({
      Status: op.status,
      RequestId: op.requestId,
      CreatedDate: epochSeconds(op.createdAt),
    })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

function assignmentJson(a: SimAssignment) {
  return {
    AccountId: a.accountId,
    PermissionSetArn: a.permissionSetArn,
    PrincipalType: a.principalType,
    PrincipalId: a.principalId,
  };
}

/**
 * The SSO Admin operations the bot uses, keyed by X-Amz-Target operation name. Long on purpose: one table of
 * handlers, each a few lines, read side by side like the API's list of operations.
 */
export function ssoAdminHandlers(ctx: SsoAdminContext): Record<string, Handler> {
  const { state } = ctx;
  return {
    ListInstances: (input) => {
      const { page, nextToken } = paginate([state.instance], input, LIST_LIMITS);
      return {
        Instances: page.map((i) => ({
          InstanceArn: i.instanceArn,
          IdentityStoreId: i.identityStoreId,
          Name: "simulated",
          Status: "ACTIVE",
          OwnerAccountId: "111111111111",
        })),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
    CreateAccountAssignment: (input) => ({
      AccountAssignmentCreationStatus: operationStatus(ctx.begin("creation", assignmentOf(state, input))),
    }),
    DeleteAccountAssignment: (input) => ({
      AccountAssignmentDeletionStatus: operationStatus(ctx.begin("deletion", assignmentOf(state, input))),
    }),
    DescribeAccountAssignmentCreationStatus: (input) => ({
      AccountAssignmentCreationStatus: describeOperation(
        state,
        input,
        "creation",
        "AccountAssignmentCreationRequestId",
      ),
    }),
    DescribeAccountAssignmentDeletionStatus: (input) => ({
      AccountAssignmentDeletionStatus: describeOperation(
        state,
        input,
        "deletion",
        "AccountAssignmentDeletionRequestId",
      ),
    }),
    ListAccountAssignmentCreationStatus: (input) => {
      const { items, ...rest } = listOperations(state, input, "creation");
      return { AccountAssignmentsCreationStatus: items, ...rest };
    },
    ListAccountAssignmentDeletionStatus: (input) => {
      const { items, ...rest } = listOperations(state, input, "deletion");
      return { AccountAssignmentsDeletionStatus: items, ...rest };
    },
    ListAccountAssignments: (input) => {
      checkInstance(state, input);
      const accountId = requireString(input, "AccountId");
      const permissionSetArn = requireString(input, "PermissionSetArn");
      checkPermissionSet(state, permissionSetArn);
      const all = [...state.assignments.values()].filter(
        (a) => a.accountId === accountId && a.permissionSetArn === permissionSetArn,
      );
      const { page, nextToken } = paginate(all, input, LIST_LIMITS);
      return { AccountAssignments: page.map(assignmentJson), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    ListAccountAssignmentsForPrincipal: (input) => {
      checkInstance(state, input);
      const principalId = requireString(input, "PrincipalId");
      const type = principalType(input);
      const filter = input.Filter as Input | undefined;
      const accountId = filter ? optionalString(filter, "AccountId") : undefined;
      const all = [...state.assignments.values()].filter(
        (a) =>
          a.principalId === principalId &&
          a.principalType === type &&
          (accountId === undefined || a.accountId === accountId),
      );
      const { page, nextToken } = paginate(all, input, LIST_LIMITS);
      return { AccountAssignments: page.map(assignmentJson), ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    ListPermissionSets: (input) => {
      checkInstance(state, input);
      const { page, nextToken } = paginate([...state.permissionSets.keys()], input, LIST_LIMITS);
      return { PermissionSets: page, ...(nextToken ? { NextToken: nextToken } : {}) };
    },
    DescribePermissionSet: (input) => {
      checkInstance(state, input);
      const arn = requireString(input, "PermissionSetArn");
      const ps = state.permissionSets.get(arn);
      if (!ps) throw notFound(`Could not find PermissionSet with ARN ${arn}`);
      return {
        PermissionSet: {
          Name: ps.name,
          PermissionSetArn: ps.arn,
          ...(ps.description ? { Description: ps.description } : {}),
          SessionDuration: ps.sessionDuration ?? "PT1H",
          CreatedDate: 1_700_000_000,
        },
      };
    },
  };
}
