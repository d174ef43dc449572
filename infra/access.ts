/** The stack's three Lambda functions. */
export type FunctionName = "slack" | "worker" | "revoker";

/** What one function may do on AWS; the stack grants from this and test/infra/least-privilege.test.ts checks it. */
export interface FunctionAccess {
  /** The IAM actions the function's code calls: granted, each on the narrowest resources (policies.ts). */
  readonly calls: readonly string[];
  /**
   * Actions whose SDK commands the bundle holds through shared adapters although this function never sends them:
   * left ungranted on purpose. The test holds this list to the bundles, so an entry must go when its command does.
   */
  readonly bundledNeverCalled: Readonly<Record<string, string>>;
}

/** Grants, audit events and tuples: read by key and by index, written only by conditional puts (no deletes). */
const GRANT_STORE = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"];
/** A decision on a request of several parts is conditional on the parts it leaves as they are (ConditionCheck). */
const CHECK_PARTS = ["dynamodb:ConditionCheckItem"];
/** One-time schedules in the stack's group, created with the scheduler's invoke role. */
const SCHEDULES = [
  "scheduler:CreateSchedule",
  "scheduler:UpdateSchedule",
  "scheduler:DeleteSchedule",
  "iam:PassRole",
];
const SLACK_SECRET = ["secretsmanager:GetSecretValue"];
/** Called only when access.yml names no instance; the stack requires one, so this is the adapter's fallback. */
const FIND_INSTANCE = ["sso:ListInstances"];
/** Creating and deleting assignments, and following their requests to SUCCEEDED or FAILED. */
const ASSIGNMENTS = [
  "sso:CreateAccountAssignment",
  "sso:DeleteAccountAssignment",
  "sso:ListAccountAssignments",
  "sso:DescribeAccountAssignmentCreationStatus",
  "sso:DescribeAccountAssignmentDeletionStatus",
  "sso:ListAccountAssignmentCreationStatus",
  "sso:ListAccountAssignmentDeletionStatus",
];
/** Hands a grant or pending notices to the worker with an asynchronous invocation. */
const WAKE_WORKER = ["lambda:InvokeFunction"];
/** Who someone is and which groups they are in: looked up when a person acts in Slack. */
const DIRECTORY = ["identitystore:GetUserId", "identitystore:GetGroupId", "identitystore:IsMemberInGroups"];
/** Members of approver groups and their emails: the approvers' reminder mentions them, their Home tabs refresh. */
const GROUP_MEMBERS = ["identitystore:ListGroupMemberships", "identitystore:DescribeUser"];
/** A permission set's session duration: the requester's DMs say until when open sessions may last. */
const SESSION_DURATION = ["sso:DescribePermissionSet"];

const DOCTOR_ONLY = {
  "sso:ListPermissionSets": "only `doctor` lists permission sets",
};
const never = (actions: string[], reason: string): Record<string, string> =>
  Object.fromEntries(actions.map((action) => [action, reason]));
/** Notices (DMs, reminders, Home tabs) are delivered by the worker alone. */
const NOTICES_ONLY = never(
  [...GROUP_MEMBERS, ...SESSION_DURATION],
  "only the worker delivers notices: reminders, Home tabs and DMs",
);

/** Per function: the slow work (assignments) is the worker's and the revoker's; people act through Slack. */
export const FUNCTION_ACCESS: Record<FunctionName, FunctionAccess> = {
  slack: {
    calls: [...GRANT_STORE, ...DIRECTORY, ...FIND_INSTANCE, ...SCHEDULES, ...SLACK_SECRET, ...WAKE_WORKER],
    bundledNeverCalled: {
      ...never(ASSIGNMENTS, "the Slack function hands grants to the worker, which provisions and revokes"),
      ...never(
        CHECK_PARTS,
        "the Slack function decides nothing: the worker runs every listener past its ack",
      ),
      ...NOTICES_ONLY,
      ...DOCTOR_ONLY,
    },
  },
  worker: {
    // Home tabs show each person what the rules let them decide, and reminders name the approvers.
    calls: [
      ...GRANT_STORE,
      ...CHECK_PARTS,
      ...ASSIGNMENTS,
      ...FIND_INSTANCE,
      ...SCHEDULES,
      ...SLACK_SECRET,
      ...WAKE_WORKER,
      ...DIRECTORY,
      ...GROUP_MEMBERS,
      ...SESSION_DURATION,
    ],
    bundledNeverCalled: DOCTOR_ONLY,
  },
  revoker: {
    calls: [...GRANT_STORE, ...ASSIGNMENTS, ...FIND_INSTANCE, ...SCHEDULES, ...SLACK_SECRET, ...WAKE_WORKER],
    bundledNeverCalled: {
      ...never(DIRECTORY, "driving a grant uses the ids stored on it; people are looked up only in Slack"),
      ...never(
        CHECK_PARTS,
        "only a click decides some parts of a request and leaves others; the sweep releases all",
      ),
      ...NOTICES_ONLY,
      ...DOCTOR_ONLY,
    },
  },
};
