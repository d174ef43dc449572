import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { Function as LambdaFunction } from "aws-cdk-lib/aws-lambda";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { describe, expect, it } from "vitest";
import { ExpiryAlarms, OVERDUE_METRIC, REVOKE_FAILED_METRIC } from "../../infra/constructs/alarms.js";
import { METRIC_NAMESPACE } from "../../src/adapters/log/json-logger.js";
import { decideGrant } from "../../src/app/decide.js";
import { requestAccess } from "../../src/app/request.js";
import { reportOverdue, sweepDue } from "../../src/app/sweep.js";
import { harness, PEOPLE } from "../support/app-harness.js";
import { ADMIN, PROD } from "../support/example-config.js";

const { dev, admin } = PEOPLE;
const HOUR_MS = 3600_000;
const devTarget = { userId: dev.userId, accountId: PROD, permissionSetArn: ADMIN };

/** The bot's own metrics the alarms watch, by name (metrics of AWS services left out). */
function alarmedMetricNames(): string[] {
  const stack = new Stack(new App(), "Alarms", { env: { account: "111111111111", region: "eu-west-1" } });
  new ExpiryAlarms(stack, "Expiry", {
    revoker: LambdaFunction.fromFunctionArn(
      stack,
      "Revoker",
      "arn:aws:lambda:eu-west-1:111111111111:function:revoker",
    ),
    deadLetters: Queue.fromQueueArn(stack, "DeadLetters", "arn:aws:sqs:eu-west-1:111111111111:dead-letters"),
  });
  const alarms = Object.values(Template.fromStack(stack).findResources("AWS::CloudWatch::Alarm"));
  const ours = alarms
    .map((alarm) => alarm.Properties as { Namespace?: string; MetricName?: string })
    .filter((props) => props.Namespace === METRIC_NAMESPACE);
  return [...new Set(ours.map((props) => String(props.MetricName)))].sort();
}

/** A harness whose metrics are recorded as [name, value] pairs. */
function recorded() {
  const h = harness();
  const emitted: Array<[string, number]> = [];
  h.deps.metrics = { count: (name, value = 1) => emitted.push([name, value]) };
  return { h, emitted };
}

async function activeGrant(h: ReturnType<typeof harness>): Promise<string> {
  const ask = {
    account: "prod",
    permissionSet: "AdministratorAccess",
    durationSeconds: 3600,
    reason: "INC-1",
  };
  const grant = await requestAccess(h.deps, dev.slackId, ask);
  await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
  return grant.id;
}

describe("the metrics the alarms watch", () => {
  it("alarms on no metric of the bot's own beyond the ones the code paths below emit", () => {
    const covered = [OVERDUE_METRIC.metricName, REVOKE_FAILED_METRIC.metricName].sort();
    expect(alarmedMetricNames()).toEqual(covered);
    expect([OVERDUE_METRIC.namespace, REVOKE_FAILED_METRIC.namespace]).toEqual([
      METRIC_NAMESPACE,
      METRIC_NAMESPACE,
    ]);
  });

  it("reports the overdue count at each sweep start, zero included, under the overdue alarms' metric", async () => {
    const { h, emitted } = recorded();
    await activeGrant(h);
    expect(await reportOverdue(h.deps)).toBe(0);
    h.clock.advance(HOUR_MS + 6 * 60_000);
    expect(await reportOverdue(h.deps)).toBe(1);
    expect(emitted.filter(([name]) => name === OVERDUE_METRIC.metricName)).toEqual([
      [OVERDUE_METRIC.metricName, 0],
      [OVERDUE_METRIC.metricName, 1],
    ]);
  });

  it("counts a revocation that starts failing under the revocation alarm's metric, once", async () => {
    const { h, emitted } = recorded();
    await activeGrant(h);
    h.identity.refuse(devTarget, "access-denied", ["deletion"]);
    for (let n = 0; n < 6; n++) {
      h.clock.advance(n === 0 ? HOUR_MS : 5_000);
      await sweepDue(h.deps);
    }
    expect(emitted.filter(([name]) => name === REVOKE_FAILED_METRIC.metricName)).toEqual([
      [REVOKE_FAILED_METRIC.metricName, 1],
    ]);
  });
});
