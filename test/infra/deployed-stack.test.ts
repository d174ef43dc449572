import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { concurrencyCaps } from "../../infra/concurrency.js";
import { SYNTH_TIMEOUT_MS, synth } from "../support/stack-fixtures.js";

/** Logical ids of the stack as deployed before it was split into constructs (same email as below). */
const DEPLOYED: Array<[string, string]> = [
  ["AWS::DynamoDB::Table", "Grants5D26E11C"],
  ["AWS::SQS::Queue", "RevocationDeadLetters04AECD16"],
  ["AWS::Scheduler::ScheduleGroup", "ExpirySchedules"],
  ["AWS::IAM::Role", "SchedulerInvokeRoleE2A7D616"],
  ["AWS::Logs::LogGroup", "slackLogs98B041B2"],
  ["AWS::Logs::LogGroup", "workerLogs41619A4B"],
  ["AWS::Logs::LogGroup", "revokerLogs734C98DA"],
  ["AWS::Lambda::Function", "SlackFunctionB79AA090"],
  ["AWS::Lambda::Function", "WorkerFunctionACE6A4B0"],
  ["AWS::Lambda::Function", "RevokerFunctionD579B5CF"],
  ["AWS::Lambda::Url", "SlackFunctionFunctionUrl1C6B570E"],
  ["AWS::Events::Rule", "SweepEveryMinute6F84161B"],
  ["AWS::CloudWatch::Alarm", "RevokerErrors3A445EE1"],
  ["AWS::CloudWatch::Alarm", "DeadLettersBBF8BAAB"],
  ["AWS::CloudWatch::Alarm", "OverdueActiveGrantsF7CE3981"],
  ["AWS::CloudWatch::Alarm", "SweepNotReportingD688FBB3"],
  ["AWS::SNS::Topic", "AlarmTopicD01E77F9"],
  ["AWS::SNS::Subscription", "AlarmTopicaexamplecom4B1DAC17"],
];

describe("AwsAccessStack over a stack deployed before", () => {
  let template: Template;

  beforeAll(() => {
    ({ template } = synth({ alarmEmail: "a@example.com" }));
  }, SYNTH_TIMEOUT_MS);

  it("keeps every deployed resource's logical id, so an update replaces no table, function, URL or log group", () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string }>;
    const kept = DEPLOYED.filter(([type, id]) => resources[id]?.Type === type);
    expect(kept).toEqual(DEPLOYED);
  });

  it("caps the Slack function at 10 instances and the worker and the revoker at 2 each by default", () => {
    for (const [name, cap] of [
      ["slack", 10],
      ["worker", 2],
      ["revoker", 2],
    ] as const) {
      template.hasResourceProperties("AWS::Lambda::Function", {
        FunctionName: `AwsAccess-${name}`,
        ReservedConcurrentExecutions: cap,
      });
    }
  });

  it("replaces the managed execution policy by log writes to the function's own log group", () => {
    const roles = Object.values(template.findResources("AWS::IAM::Role")) as Array<{
      Properties: { ManagedPolicyArns?: unknown };
    }>;
    expect(roles.filter((role) => role.Properties.ManagedPolicyArns !== undefined)).toEqual([]);
    const policies = Object.values(template.findResources("AWS::IAM::Policy")) as Array<{
      Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } };
    }>;
    const logWrites = policies
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((s) => JSON.stringify(s.Action).includes("logs:"));
    expect(logWrites.map((s) => s.Resource)).toEqual([
      { "Fn::GetAtt": ["slackLogs98B041B2", "Arn"] },
      { "Fn::GetAtt": ["workerLogs41619A4B", "Arn"] },
      { "Fn::GetAtt": ["revokerLogs734C98DA", "Arn"] },
    ]);
  });
});

describe("concurrency caps", () => {
  it.each([
    [{}, { slack: 10, worker: 2, revoker: 2 }],
    [
      { reservedConcurrency: 3, slackConcurrency: 20 },
      { slack: 20, worker: 3, revoker: 3 },
    ],
    [{ allowUncappedConcurrency: true }, { slack: undefined, worker: undefined, revoker: undefined }],
  ])("reserves concurrency as asked by %o", (props, caps) => {
    expect(concurrencyCaps(props)).toEqual(caps);
  });

  it.each([
    [{ reservedConcurrency: 0 }, /allowUncappedConcurrency=true/],
    [{ slackConcurrency: 0 }, /allowUncappedConcurrency=true/],
    [
      { allowUncappedConcurrency: true, reservedConcurrency: 2 },
      /leave reservedConcurrency and slackConcurrency out/,
    ],
    [{ reservedConcurrency: 1.5 }, /whole number/],
  ])("refuses %o, saying what to do instead", (props, message) => {
    expect(() => concurrencyCaps(props)).toThrow(message);
  });

  it("refuses to synthesize a stack without caps unless the flag says so", () => {
    expect(() => synth({ reservedConcurrency: 0 })).toThrow(/allowUncappedConcurrency/);
  });
});
