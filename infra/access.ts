import { AUDIT_ITEM_ATTRIBUTES, REFUSAL_PARTITION_PREFIX } from "../src/adapters/dynamodb/marshalling.js";

/** The stack's three Lambda functions. */
export type FunctionName = "slack" | "worker" | "revoker";

/** What one function may do on AWS; the stack grants from this and test/infra/least-privilege.test.ts checks it. */
export interface FunctionAccess {
  /** The IAM actions the function's code calls: granted, each on the narrowest resources (policies.ts). */
  readonly calls: readonly string[];
  /**
   * When set, the function's DynamoDB calls (item writes only) are limited to items whose partition key matches one
   * of these patterns (`dynamodb:LeadingKeys`, ForAllValues:StringLike).
   */
  readonly leadingKeys?: readonly string[];
  /** With `leadingKeys`: the only attributes its items may carry (`dynamodb:Attributes`, ForAllValues:StringEquals). */
  readonly attributes?: readonly string[];
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
/** The Slack function's one store write: a refusal of a request from another Slack team, kept per day. */
const RECORD_REFUSAL = ["dynamodb:PutItem"];
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
/**
 * A permission set's session duration, read by the engine as it activates a grant: the requester's DMs say until
 * when open sessions may last.
 */
const SESSION_DURATION = ["sso:DescribePermissionSet"];

const never = (actions: string[], reason: string): Record<string, string> =>
  Object.fromEntries(actions.map((action) => [action, reason]));
/** Notices (DMs, reminders, Home tabs) are delivered by the worker alone. */
const NOTICES_ONLY = never(GROUP_MEMBERS, "only the worker delivers notices: reminders, Home tabs and DMs");

/**
 * Per function: the slow work (assignments) is the worker's and the revoker's; people act through Slack. The Slack
 * function, behind a public URL, answers at ack and hands every request on (signed) to the worker: it reads its
 * secret, invokes the worker and records refusals of other teams' requests, in their own partitions only.
 */
export const FUNCTION_ACCESS: Record<FunctionName, FunctionAccess> = {
  slack: {
    calls: [...RECORD_REFUSAL, ...SLACK_SECRET, ...WAKE_WORKER],
    leadingKeys: [`${REFUSAL_PARTITION_PREFIX}*`],
    attributes: AUDIT_ITEM_ATTRIBUTES,
    bundledNeverCalled: {
      ...never(
        ["dynamodb:GetItem", "dynamodb:Query", ...CHECK_PARTS],
        "the Slack function reads no grant and decides nothing: the worker runs every listener past its ack",
      ),
      ...never(DIRECTORY, "people are looked up by the listeners the worker runs past their ack"),
      ...never([...FIND_INSTANCE, ...SESSION_DURATION], "the Slack function makes no Identity Center call"),
      ...never(SCHEDULES, "wake-ups are planned by the worker and the revoker, which change grants"),
      ...never(ASSIGNMENTS, "the Slack function hands grants to the worker, which provisions and revokes"),
      ...NOTICES_ONLY,
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
    bundledNeverCalled: {},
  },
  revoker: {
    calls: [
      ...GRANT_STORE,
      ...ASSIGNMENTS,
      ...SESSION_DURATION,
      ...FIND_INSTANCE,
      ...SCHEDULES,
      ...WAKE_WORKER,
    ],
    bundledNeverCalled: {
      ...never(DIRECTORY, "driving a grant uses the ids stored on it; people are looked up only in Slack"),
      ...never(SLACK_SECRET, "the revoker hands its notices to the worker and never talks to Slack"),
      ...never(
        CHECK_PARTS,
        "only a click decides some parts of a request and leaves others; the sweep releases all",
      ),
      ...NOTICES_ONLY,
    },
  },
};
