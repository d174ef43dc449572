import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";

/** Namespace and name of the gauge the sweep writes as an EMF log line on every run. */
export const OVERDUE_METRIC = { namespace: "AwsAccess", metricName: "OverdueActiveGrants" } as const;

export interface AlarmTargets {
  revoker: IFunction;
  deadLetters: IQueue;
  alarmEmail?: string;
}

/** Alarms for invariant 3 (expiry is kept): a failing revoker, dead letters, a grant left active, a silent sweep. */
export function addAlarms(scope: Construct, targets: AlarmTargets): Alarm[] {
  const minute = Duration.minutes(1);
  const alarms = [
    new Alarm(scope, "RevokerErrors", {
      alarmDescription: "The revoker failed: a grant may stay active past its expiry",
      metric: targets.revoker.metricErrors({ period: minute, statistic: "Sum" }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    new Alarm(scope, "DeadLetters", {
      alarmDescription:
        "A revocation (schedule or async invoke) failed after all retries: see the dead-letter queue",
      metric: targets.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: minute,
        statistic: "Maximum",
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    new Alarm(scope, "OverdueActiveGrants", {
      alarmDescription: "A grant is still active more than 5 minutes past its expiry (the sweep counts them)",
      metric: new Metric({ ...OVERDUE_METRIC, period: minute, statistic: "Maximum" }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    new Alarm(scope, "SweepNotReporting", {
      alarmDescription: "The one-minute sweep has not reported for 5 minutes: expiries are not being checked",
      metric: new Metric({ ...OVERDUE_METRIC, period: minute, statistic: "SampleCount" }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: TreatMissingData.BREACHING,
    }),
  ];
  if (targets.alarmEmail) {
    const topic = new Topic(scope, "AlarmTopic", { displayName: "aws-access alarms" });
    topic.addSubscription(new EmailSubscription(targets.alarmEmail));
    for (const alarm of alarms) {
      alarm.addAlarmAction(new SnsAction(topic));
      alarm.addOkAction(new SnsAction(topic));
    }
  }
  return alarms;
}
