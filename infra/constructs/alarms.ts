import { Aws, Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { type Subscription, Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { METRIC_NAMESPACE } from "../../src/adapters/log/json-logger.js";
import { OUTCOME_METRICS, OVERDUE_METRIC_NAME } from "../../src/app/metrics.js";
import { FlatConstruct } from "../logical-ids.js";

/** Namespace and name of the gauge the sweep writes as an EMF log line at the start of every run. */
export const OVERDUE_METRIC = { namespace: METRIC_NAMESPACE, metricName: OVERDUE_METRIC_NAME } as const;
/** Counted once each time a revocation starts failing in a new way (one audit row per situation, not per try). */
export const REVOKE_FAILED_METRIC = {
  namespace: METRIC_NAMESPACE,
  metricName: OUTCOME_METRICS["revoke-failed"],
} as const;

export interface AlarmTargets {
  revoker: IFunction;
  deadLetters: IQueue;
  alarmEmail?: string;
}

/** Alarms for invariant 3 (expiry is kept), mailed through an SNS topic when an address is given. */
export class ExpiryAlarms extends FlatConstruct {
  readonly alarms: Alarm[];
  /** Present when an address is given. */
  readonly mail?: { topic: Topic; subscription: Subscription };

  constructor(scope: Construct, id: string, targets: AlarmTargets) {
    super(scope, id);
    this.alarms = expiryAlarms(this, targets);
    if (targets.alarmEmail) {
      const topic = alarmTopic(this);
      this.mail = { topic, subscription: topic.addSubscription(new EmailSubscription(targets.alarmEmail)) };
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(new SnsAction(topic));
        alarm.addOkAction(new SnsAction(topic));
      }
    }
  }
}

/** A failing revoker, dead letters, a grant left active, a silent sweep. */
function expiryAlarms(scope: Construct, targets: AlarmTargets): Alarm[] {
  const minute = Duration.minutes(1);
  return [
    new Alarm(scope, "RevokerErrors", {
      alarmDescription: "The revoker failed: a grant may stay active past its expiry",
      metric: targets.revoker.metricErrors({ period: minute, statistic: "Sum" }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    new Alarm(scope, "RevocationFailing", {
      alarmDescription:
        "A revocation keeps failing (Identity Center refused or is unreachable); it is retried with backoff: see the audit channel",
      metric: new Metric({ ...REVOKE_FAILED_METRIC, period: minute, statistic: "Sum" }),
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
      alarmDescription:
        "A grant is more than 5 minutes past its time: active or revoking after expiry, provisioning since approval (counted at each sweep's start)",
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
}

/**
 * TLS-only topic for the alarms. Its policy replaces SNS's default one, which let the account's alarms publish:
 * without the CloudWatch statement alarm mail would stop, and nothing would say so.
 */
function alarmTopic(scope: Construct): Topic {
  const topic = new Topic(scope, "AlarmTopic", { displayName: "aws-access alarms", enforceSSL: true });
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: "CloudWatchAlarmsOfThisAccountPublish",
      principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
      actions: ["sns:Publish"],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID },
        ArnLike: {
          "aws:SourceArn": `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
        },
      },
    }),
  );
  return topic;
}
