import { type CfnElement, type Stack, Validations } from "aws-cdk-lib";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import type { Rule } from "aws-cdk-lib/aws-events";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import type { FunctionName } from "./access.js";
import type { ExpiryAlarms } from "./constructs/alarms.js";
import type { ExpirySchedules } from "./constructs/expiry.js";
import type { AccessFunctions } from "./constructs/functions.js";
import { type IdentityCenterScope, identityStoreResources } from "./policies.js";

/** Runs cdk-nag's AwsSolutions and Serverless packs over the app when it synthesizes; findings fail the synth. */
export function addNagPacks(app: IConstruct): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

/** One cdk-nag finding accepted on one construct, and why the design wants it so. */
export interface Acknowledgement {
  on: IConstruct;
  id: string;
  reason: string;
}

/** The parts of the stack that carry acknowledgements. */
export interface StackParts {
  stack: Stack;
  identityCenter: IdentityCenterScope;
  table: Table;
  expiry: ExpirySchedules;
  sweep: Rule;
  functions: AccessFunctions;
  alarms: ExpiryAlarms;
}

const FUNCTIONS: FunctionName[] = ["slack", "worker", "revoker"];

/** Records every acknowledgement on its construct; anything else cdk-nag finds fails the synth. */
export function acknowledgeByDesign(parts: StackParts): void {
  for (const { on, id, reason } of acknowledgements(parts)) Validations.of(on).acknowledge({ id, reason });
}

/** What cdk-nag flags in this stack by design, one entry per finding. */
function acknowledgements(parts: StackParts): Acknowledgement[] {
  return [
    ...FUNCTIONS.flatMap((name) => functionFindings(parts, name)),
    ...wildcardFindings(parts),
    ...deliveryFindings(parts),
  ];
}

const RUNTIME =
  "Node.js 22 is what the bundles are built for (esbuild target node22) and tested on; a newer runtime is a deliberate move with its own test run";
const DEAD_LETTERS: Partial<Record<FunctionName, string>> = {
  slack: "invoked synchronously by its Function URL: Lambda dead-letters only asynchronous invocations",
  worker:
    "a grant the worker did not finish stays in the table in its state and the one-minute sweep drives it; a dead letter would add nothing to act on",
};

/** Runtime, tracing and dead letters of one function (the revoker has its dead-letter queue). */
function functionFindings(parts: StackParts, name: FunctionName): Acknowledgement[] {
  const fn = parts.functions[name];
  const deadLetters = DEAD_LETTERS[name];
  return [
    { on: fn, id: "AwsSolutions-L1", reason: RUNTIME },
    { on: fn, id: "Serverless-LambdaLatestVersion", reason: RUNTIME },
    {
      on: fn,
      id: "Serverless-LambdaTracing",
      reason:
        "JSON logs carry the request id and outcomes are EMF metrics; X-Ray would add xray:Put* on `*` to every role to trace a few sequential calls",
    },
    ...(deadLetters ? [{ on: fn, id: "Serverless-LambdaDLQ", reason: deadLetters }] : []),
  ];
}

/** IAM resources with a `*` in them: each one as narrow as the service's ARNs allow. */
function wildcardFindings(parts: StackParts): Acknowledgement[] {
  const { functions, expiry, stack } = parts;
  const logicalId = (construct: IConstruct) =>
    stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
  const roleOf = (name: FunctionName) => functions[name].role ?? functions[name];
  const iam5 = (resource: string) => `AwsSolutions-IAM5[Resource::${resource}]`;
  const workerArn = `arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:${functions.names.worker}`;
  const scheduleArn = `arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${expiry.group.scheduleGroupName}/*`;
  const [store, ...members] = identityStoreResources(parts.identityCenter);
  return [
    ...FUNCTIONS.map(roleOf).map((role) => ({
      on: role,
      id: iam5(`${workerArn}:*`),
      reason: "grantInvoke names the worker and its versions or aliases (`:*`), no other function",
    })),
    // The Slack function writes only refusals, by key; the worker and the revoker change grants.
    ...(["worker", "revoker"] as const).map(roleOf).flatMap((role) => [
      {
        on: role,
        id: iam5("*"),
        reason:
          "sso:ListInstances has no resource type, so IAM takes it only on `*`; nothing else is granted there",
      },
      {
        on: role,
        id: iam5(`<${logicalId(parts.table)}.Arn>/index/*`),
        reason:
          "Query reads the grants table's own indexes (due, byRequester); index/* is below that one table",
      },
      {
        on: role,
        id: iam5(scheduleArn),
        reason: "one schedule per grant wake-up, named at run time, all in this stack's own schedule group",
      },
    ]),
    // People are looked up where listeners run past their ack, and for reminders and Home tabs: the worker.
    {
      on: roleOf("worker"),
      id: iam5(store ?? ""),
      reason:
        "the store belongs to the account that owns Identity Center (the management account when this runs in a delegated administrator); its id is unique",
    },
    ...members.map((resource) => ({
      on: roleOf("worker"),
      id: iam5(resource),
      reason:
        "identity store users, groups and memberships have account-less ARNs with generated ids; every call also names the store, which is pinned",
    })),
    {
      on: expiry.invokeRole,
      id: iam5(`<${logicalId(functions.revoker)}.Arn>:*`),
      reason: "schedules may invoke the revoker and its versions or aliases (`:*`), no other function",
    },
  ];
}

/** Dead letters, the sweep rule and the alarm mail. */
function deliveryFindings(parts: StackParts): Acknowledgement[] {
  const subscription = parts.alarms.mail?.subscription;
  return [
    {
      on: parts.expiry.deadLetters,
      id: "Serverless-SQSRedrivePolicy",
      reason:
        "this queue is the dead-letter queue (schedules, the revoker's asynchronous invocations): its messages raise the DeadLetters alarm, they are not redriven",
    },
    {
      on: parts.sweep,
      id: "Serverless-EventBusDLQ",
      reason:
        "an undelivered sweep is followed by the next one a minute later and SweepNotReporting alarms when they stop; dead-lettered sweeps would read as failed revocations",
    },
    ...(subscription
      ? [
          {
            on: subscription,
            id: "Serverless-SNSRedrivePolicy",
            reason:
              "an email subscription: SNS retries delivery itself, and a queue of undelivered alarm mail would have no reader",
          },
        ]
      : []),
  ];
}
