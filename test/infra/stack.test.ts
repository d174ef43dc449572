import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { BUNDLED_CONFIG_PATH } from "../../infra/stack.js";
import { grantsTableDefinition } from "../../src/adapters/dynamodb/table.js";
import { parseConfig } from "../../src/config/load.js";
import {
  CONFIG,
  idsIn,
  list,
  type StackFunction,
  type StackIds,
  type Statement,
  SYNTH_TIMEOUT_MS,
  statementsIn,
  synth,
} from "../support/stack-fixtures.js";

const INSTANCE = "arn:aws:sso:::instance/ssoins-7223abcdef123456";
const READ_ONLY = "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-1111111111111111";
const ADMIN = "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-2222222222222222";
const RESTRICTED = /^(sso|identitystore|dynamodb|scheduler):/;

describe("AwsAccessStack", () => {
  let template: Template;
  let assemblyDir: string;
  let ids: StackIds;

  /** Every statement of the policies attached to the role of the named function. */
  const statementsOf = (fn: StackFunction): Statement[] => statementsIn(template, ids[fn]);

  beforeAll(() => {
    ({ template, assemblyDir } = synth());
    ids = idsIn(template);
  }, SYNTH_TIMEOUT_MS);

  it("keeps grants in a retained, recoverable, deletion-protected on-demand table with the store's keys and a TTL", () => {
    const expected = grantsTableDefinition("ignored");
    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: {
        BillingMode: "PAY_PER_REQUEST",
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true },
        KeySchema: expected.KeySchema,
        AttributeDefinitions: Match.arrayEquals(expected.AttributeDefinitions ?? []),
        GlobalSecondaryIndexes: (expected.GlobalSecondaryIndexes ?? []).map((index) => ({
          IndexName: index.IndexName,
          KeySchema: index.KeySchema,
          Projection: { ProjectionType: "ALL" },
        })),
      },
    });
  });

  it.each(["slack", "worker", "revoker"] as const)(
    "runs the %s function on Node.js 22 on arm64 with the wiring in its environment",
    (fn) => {
      template.hasResourceProperties("AWS::Lambda::Function", {
        FunctionName: `AwsAccess-${fn}`,
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        Handler: "index.handler",
        Environment: {
          Variables: Match.objectLike({
            GRANTS_TABLE: Match.anyValue(),
            ACCESS_CONFIG: BUNDLED_CONFIG_PATH,
            SLACK_SECRET_NAME: "aws-access/slack",
            WORKER_FUNCTION_NAME: "AwsAccess-worker",
            SCHEDULE_GROUP: "AwsAccess-expiry",
            SCHEDULER_ROLE_ARN: { "Fn::GetAtt": [ids.invokeRole, "Arn"] },
            REVOKER_ARN: Match.anyValue(),
            DEAD_LETTER_ARN: { "Fn::GetAtt": [ids.queue, "Arn"] },
            POWERTOOLS_SERVICE_NAME: "aws-access",
            POWERTOOLS_LOG_LEVEL: "INFO",
          }),
        },
      });
    },
  );

  it("gives the engine Identity Center's whole request quota, and the revoker 15 minutes", () => {
    const fns = template.findResources("AWS::Lambda::Function");
    const byName = (name: string) =>
      Object.values(fns).find((r) => r.Properties.FunctionName === `AwsAccess-${name}`)?.Properties;
    // Only the lease holder calls SSO Admin (DMs read no permission set), so no function takes less than all 20.
    for (const name of ["slack", "worker", "revoker"]) {
      expect(byName(name)?.Environment.Variables.IC_REQUESTS_PER_SECOND).toBeUndefined();
      expect(byName(name)?.Environment.Variables.IC_READ_INTERVAL_MS).toBeUndefined();
    }
    expect(byName("revoker")?.Timeout).toBe(900);
  });

  it("bundles each handler as ESM with the validated config, as JSON, that ACCESS_CONFIG names", () => {
    for (const fn of ["slack", "worker", "revoker"] as const) {
      const resource = template.toJSON().Resources[ids[fn]] as { Properties: { Code: { S3Key: string } } };
      const assetDir = join(assemblyDir, `asset.${resource.Properties.Code.S3Key.replace(/\.zip$/, "")}`);
      const bundled = JSON.parse(readFileSync(join(assetDir, "access.json"), "utf8"));
      expect(bundled).toEqual(JSON.parse(JSON.stringify(parseConfig(readFileSync(CONFIG, "utf8")))));
      expect(readFileSync(join(assetDir, "index.mjs"), "utf8")).toContain("createRequire");
      expect(existsSync(join(assetDir, "index.mjs.map"))).toBe(true);
    }
  });

  it("serves Slack from a Function URL without IAM auth, since Slack signs its requests", () => {
    template.hasResourceProperties("AWS::Lambda::Url", {
      AuthType: "NONE",
      TargetFunctionArn: { "Fn::GetAtt": [ids.slack, "Arn"] },
    });
    template.resourceCountIs("AWS::Lambda::Url", 1);
  });

  it("lets EventBridge Scheduler's role invoke only the revoker and dead-letter only to the queue", () => {
    template.hasResourceProperties("AWS::Scheduler::ScheduleGroup", { Name: "AwsAccess-expiry" });
    template.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: "sts:AssumeRole",
            Effect: "Allow",
            Principal: { Service: "scheduler.amazonaws.com" },
            Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
          },
        ],
      },
    });
    template.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: ids.invokeRole }],
      PolicyDocument: {
        Statement: [
          {
            Sid: "InvokeRevokerOnly",
            Effect: "Allow",
            Action: "lambda:InvokeFunction",
            Resource: [
              { "Fn::GetAtt": [ids.revoker, "Arn"] },
              { "Fn::Join": ["", [{ "Fn::GetAtt": [ids.revoker, "Arn"] }, ":*"]] },
            ],
          },
          {
            Sid: "DeadLetterFailedInvocations",
            Effect: "Allow",
            Action: "sqs:SendMessage",
            Resource: { "Fn::GetAtt": [ids.queue, "Arn"] },
          },
        ],
      },
    });
  });

  it.each(["worker", "revoker"] as const)(
    "lets the %s function manage schedules in the group only and pass only the invoke role",
    (fn) => {
      const statements = statementsOf(fn);
      const scheduling = statements.filter((s) => list(s.Action).some((a) => a.startsWith("scheduler:")));
      expect(scheduling.flatMap((s) => list(s.Action))).toEqual([
        "scheduler:CreateSchedule",
        "scheduler:UpdateSchedule",
        "scheduler:DeleteSchedule",
      ]);
      for (const s of scheduling)
        expect(JSON.stringify(s.Resource)).toMatch(/:schedule\/AwsAccess-expiry\/\*"\]\]\}$/);
      const passRole = statements.filter((s) => list(s.Action).includes("iam:PassRole"));
      expect(passRole).toEqual([
        {
          Sid: "PassInvokeRoleToScheduler",
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: { "Fn::GetAtt": [ids.invokeRole, "Arn"] },
          Condition: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
        },
      ]);
    },
  );

  it("sweeps every minute by invoking the revoker with {sweep: true}", () => {
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 minute)",
      State: "ENABLED",
      Targets: [
        { Arn: { "Fn::GetAtt": [ids.revoker, "Arn"] }, Id: Match.anyValue(), Input: '{"sweep":true}' },
      ],
    });
  });

  it("gives the Slack function no assignment action: the worker creates and deletes assignments", () => {
    const assigning = statementsOf("slack").filter((s) =>
      list(s.Action).some((a) => a.includes("AccountAssignment")),
    );
    expect(assigning).toEqual([]);
  });

  it.each([
    ["worker", ["sso:CreateAccountAssignment", "sso:DeleteAccountAssignment", "sso:ListAccountAssignments"]],
    ["revoker", ["sso:CreateAccountAssignment", "sso:DeleteAccountAssignment", "sso:ListAccountAssignments"]],
  ] as const)(
    "limits the %s function's assignment actions to the instance, permission sets and configured accounts",
    (fn, actions) => {
      const statements = statementsOf(fn).filter((s) =>
        list(s.Action).some((a) => a.endsWith("AccountAssignment")),
      );
      expect(statements).toEqual([
        {
          Sid: "AssignmentsOnConfiguredTargets",
          Effect: "Allow",
          Action: actions,
          Resource: [
            INSTANCE,
            READ_ONLY,
            ADMIN,
            "arn:aws:sso:::account/222222222222",
            "arn:aws:sso:::account/333333333333",
          ],
        },
      ]);
    },
  );

  it("never allows the management account, which delegated administrators cannot assign in", () => {
    expect(JSON.stringify(template.toJSON())).not.toContain("account/111111111111");
  });

  it("gives no sso, identitystore, dynamodb or scheduler action a wildcard resource except sso:ListInstances", () => {
    const statements = Object.values(template.findResources("AWS::IAM::Policy")).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
          .Statement,
    );
    const wildcard = statements.filter(
      (s) => JSON.stringify(s.Resource) === '"*"' || (Array.isArray(s.Resource) && s.Resource.includes("*")),
    );
    expect(wildcard.flatMap((s) => list(s.Action)).filter((a) => RESTRICTED.test(a))).toEqual(
      Array(2).fill("sso:ListInstances"),
    );
    for (const s of wildcard) expect(list(s.Action)).toEqual(["sso:ListInstances"]);
    const identity = statements.filter((s) => list(s.Action).some((a) => a.startsWith("identitystore:")));
    for (const s of identity) {
      expect(s.Resource).toEqual([
        "arn:aws:identitystore::*:identitystore/d-9067abcdef",
        "arn:aws:identitystore:::user/*",
        "arn:aws:identitystore:::group/*",
        "arn:aws:identitystore:::membership/*",
      ]);
    }
    const dynamo = statements.filter((s) => list(s.Action).some((a) => a.startsWith("dynamodb:")));
    for (const s of dynamo)
      expect(JSON.stringify(s.Resource)).toMatch(/^\[?\{"Fn::GetAtt":\["Grants[0-9A-F]+","Arn"\]\}/);
  });

  it.each(["slack", "worker", "revoker"] as const)(
    "lets the %s function invoke the worker and no other function but the revoker itself",
    (fn) => {
      const invoking = statementsOf(fn).filter((s) => list(s.Action).includes("lambda:InvokeFunction"));
      const resources = invoking.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
      expect(resources).toHaveLength(fn === "revoker" ? 3 : 2);
      expect(JSON.stringify(resources[0])).toMatch(/:function:AwsAccess-worker"\]\]\}$/);
      expect(JSON.stringify(resources[1])).toMatch(/:function:AwsAccess-worker:\*"\]\]\}$/);
      if (fn === "revoker")
        expect(JSON.stringify(resources[2])).toMatch(/:function:AwsAccess-revoker"\]\]\}$/);
    },
  );

  it("reads the one Slack secret and nothing else from Secrets Manager, from the functions that talk to Slack", () => {
    expect(
      statementsOf("revoker").filter((s) => JSON.stringify(s.Action).includes("secretsmanager:")),
    ).toEqual([]);
    for (const fn of ["slack", "worker"] as const) {
      const secrets = statementsOf(fn).filter((s) =>
        list(s.Action).some((a) => a.startsWith("secretsmanager:")),
      );
      // grantRead adds DescribeSecret: the secret's metadata, never its value.
      expect(secrets.map((s) => s.Action)).toEqual([
        ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      ]);
      expect(JSON.stringify(secrets[0]?.Resource)).toContain(":secret:aws-access/slack-??????");
    }
  });

  it("sends the revoker's failed async invocations to the dead-letter queue", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      FunctionName: "AwsAccess-revoker",
      DeadLetterConfig: { TargetArn: { "Fn::GetAtt": [ids.queue, "Arn"] } },
    });
  });

  it.each([
    ["revoker errors", { Namespace: "AWS/Lambda", MetricName: "Errors", EvaluationPeriods: 1 }],
    [
      "dead letters",
      { Namespace: "AWS/SQS", MetricName: "ApproximateNumberOfMessagesVisible", EvaluationPeriods: 1 },
    ],
    [
      "grants active 5 minutes past expiry",
      { Namespace: "AwsAccess", MetricName: "OverdueActiveGrants", EvaluationPeriods: 1 },
    ],
  ])("alarms on %s above zero", (_name, props) => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      ...props,
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      Period: 60,
    });
  });

  it(
    "sends alarms nowhere unless an address is given, then through one SNS topic",
    () => {
      template.resourceCountIs("AWS::SNS::Topic", 0);
      const withEmail = synth({ alarmEmail: "oncall@example.com" }).template;
      withEmail.resourceCountIs("AWS::SNS::Topic", 1);
      withEmail.hasResourceProperties("AWS::SNS::Subscription", {
        Protocol: "email",
        Endpoint: "oncall@example.com",
      });
      const alarms = Object.values(withEmail.findResources("AWS::CloudWatch::Alarm"));
      expect(alarms).toHaveLength(5);
      for (const alarm of alarms) {
        expect((alarm as { Properties: { AlarmActions: unknown[] } }).Properties.AlarmActions).toHaveLength(
          1,
        );
      }
    },
    SYNTH_TIMEOUT_MS,
  );
});
