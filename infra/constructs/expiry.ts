import { Aws, Duration, RemovalPolicy } from "aws-cdk-lib";
import { Rule, RuleTargetInput, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { type CfnScheduleGroup, ScheduleGroup } from "aws-cdk-lib/aws-scheduler";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { FlatConstruct } from "../logical-ids.js";

/** How expiry reaches the revoker: one-time schedules in a group of their own, their dead letters, a sweep. */
export class ExpirySchedules extends FlatConstruct {
  readonly group: ScheduleGroup;
  /** The role the schedules run as: it may invoke the revoker and dead-letter, nothing else. */
  readonly invokeRole: Role;
  /** Failed schedule deliveries and the revoker's failed asynchronous invocations. */
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: { groupName: string }) {
    super(scope, id);
    this.deadLetters = new Queue(this, "RevocationDeadLetters", {
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    this.group = new ScheduleGroup(this, "ExpirySchedules", {
      scheduleGroupName: props.groupName,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Created before the split as a bare CfnScheduleGroup directly in the stack; its name is fixed, so keep its id.
    (this.group.node.defaultChild as CfnScheduleGroup).overrideLogicalId("ExpirySchedules");
    this.invokeRole = new Role(this, "SchedulerInvokeRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
      }),
      description: "EventBridge Scheduler invokes the revoker at a grant's expiry",
    });
  }

  /** Lets the schedules invoke the revoker (and dead-letter); returns the one-minute sweep, the backstop. */
  drive(revoker: IFunction): Rule {
    this.invokeRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: "InvokeRevokerOnly",
        actions: ["lambda:InvokeFunction"],
        resources: [revoker.functionArn, `${revoker.functionArn}:*`],
      }),
    );
    this.invokeRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: "DeadLetterFailedInvocations",
        actions: ["sqs:SendMessage"],
        resources: [this.deadLetters.queueArn],
      }),
    );
    return new Rule(this, "SweepEveryMinute", {
      description: "Expiry pass over due grants: the backstop for missed or failed schedules",
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(revoker, { event: RuleTargetInput.fromObject({ sweep: true }) })],
    });
  }
}
