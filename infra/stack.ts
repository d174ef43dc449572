import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { AttributeType, BillingMode, ProjectionType, Table } from "aws-cdk-lib/aws-dynamodb";
import { Rule, RuleTargetInput, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, FunctionUrlAuthType, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { CfnScheduleGroup } from "aws-cdk-lib/aws-scheduler";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { parseConfig } from "../src/config/load.js";
import { addAlarms } from "./alarms.js";
import { BUNDLING, LAMBDA_ENTRIES, type LambdaEntries, REPO_ROOT } from "./bundling.js";
import { type AssignmentWrites, identityCenterStatements, schedulerStatements } from "./policies.js";

export type { LambdaEntries } from "./bundling.js";

export interface AwsAccessStackProps extends StackProps {
  /** access.yml: validated at synth time and bundled into every function as JSON (ACCESS_CONFIG). */
  configPath: string;
  /** Secrets Manager secret holding {"signingSecret", "botToken"}. */
  slackSecretName: string;
  entries?: Partial<LambdaEntries>;
  instanceArn: string;
  identityStoreId: string;
  accountIds: string[];
  permissionSetArns: string[];
  /** When set, alarms notify this address through a new SNS topic. */
  alarmEmail?: string;
  /** Caps concurrent worker and revoker instances, so Identity Center's request rate stays bounded; 0 turns it off. */
  reservedConcurrency?: number;
}

/**
 * Each function instance's share of Identity Center's quotas (20 requests/s, 15 outstanding operations): the
 * worker and the revoker call SSO Admin, each with up to `reserved` instances. Uncapped, four are assumed.
 */
export function identityCenterShare(reserved: number): { requestsPerSecond: number; maxOutstanding: number } {
  const instances = reserved > 0 ? 2 * reserved : 4;
  return {
    requestsPerSecond: Math.max(1, Math.floor(20 / instances)),
    maxOutstanding: Math.max(1, Math.floor(15 / instances)),
  };
}

/** Where the functions find the config inside their bundle (the code is unpacked in /var/task). */
export const BUNDLED_CONFIG_PATH = "/var/task/access.json";

/** Validates access.yml with the bot's own schema and writes it as JSON, so no YAML or schema code ships. */
export function compileConfig(yamlPath: string): string {
  const config = parseConfig(readFileSync(yamlPath, "utf8"), yamlPath);
  const out = join(mkdtempSync(join(tmpdir(), "aws-access-config-")), "access.json");
  writeFileSync(out, JSON.stringify(config));
  return out;
}

const DYNAMODB_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
];

/** The bot on AWS: Slack via a Function URL, provisioning worker, revoker on schedules and a sweep. */
export class AwsAccessStack extends Stack {
  constructor(scope: Construct, id: string, props: AwsAccessStackProps) {
    super(scope, id, props);
    const entries = { ...LAMBDA_ENTRIES, ...props.entries };
    const configFile = compileConfig(resolve(props.configPath));
    const names = {
      slack: `${this.stackName}-slack`,
      worker: `${this.stackName}-worker`,
      revoker: `${this.stackName}-revoker`,
      group: `${this.stackName}-expiry`,
    };

    const table = new Table(this, "Grants", {
      partitionKey: { name: "pk", type: AttributeType.STRING },
      sortKey: { name: "sk", type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    table.addGlobalSecondaryIndex({
      indexName: "due",
      partitionKey: { name: "dueShard", type: AttributeType.STRING },
      sortKey: { name: "dueAt", type: AttributeType.NUMBER },
      projectionType: ProjectionType.ALL,
    });
    table.addGlobalSecondaryIndex({
      indexName: "byRequester",
      partitionKey: { name: "requesterSlackId", type: AttributeType.STRING },
      sortKey: { name: "createdAt", type: AttributeType.NUMBER },
      projectionType: ProjectionType.ALL,
    });

    const deadLetters = new Queue(this, "RevocationDeadLetters", {
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });

    const group = new CfnScheduleGroup(this, "ExpirySchedules", { name: names.group });
    const scheduleArnPattern = `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${names.group}/*`;
    const revokerArn = `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${Aws.ACCOUNT_ID}:function:${names.revoker}`;

    const invokeRole = new Role(this, "SchedulerInvokeRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
      }),
      description: "EventBridge Scheduler invokes the revoker at a grant's expiry",
    });

    const reserved = props.reservedConcurrency ?? 2;
    const limits = identityCenterShare(reserved);
    const slackSecretArn = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${props.slackSecretName}-??????`;
    const environment = {
      GRANTS_TABLE: table.tableName,
      ACCESS_CONFIG: BUNDLED_CONFIG_PATH,
      SLACK_SECRET_NAME: props.slackSecretName,
      WORKER_FUNCTION_NAME: names.worker,
      SCHEDULE_GROUP: names.group,
      SCHEDULER_ROLE_ARN: invokeRole.roleArn,
      REVOKER_ARN: revokerArn,
      DEAD_LETTER_ARN: deadLetters.queueArn,
      NODE_OPTIONS: "--enable-source-maps",
      IC_REQUESTS_PER_SECOND: String(limits.requestsPerSecond),
      IC_MAX_OUTSTANDING: String(limits.maxOutstanding),
    };

    const identityScope = {
      instanceArn: props.instanceArn,
      identityStoreId: props.identityStoreId,
      accountIds: props.accountIds,
      permissionSetArns: props.permissionSetArns,
    };
    const makeFunction = (
      key: keyof LambdaEntries,
      timeout: Duration,
      writes: AssignmentWrites,
      extra: { reservedConcurrentExecutions?: number; deadLetterQueue?: Queue } = {},
    ): NodejsFunction => {
      const fn = new NodejsFunction(this, `${key[0]?.toUpperCase()}${key.slice(1)}Function`, {
        functionName: names[key],
        entry: entries[key],
        handler: "handler",
        runtime: Runtime.NODEJS_22_X,
        architecture: Architecture.ARM_64,
        memorySize: 512,
        timeout,
        environment,
        projectRoot: REPO_ROOT,
        depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
        logGroup: new LogGroup(this, `${key}Logs`, {
          logGroupName: `/aws/lambda/${names[key]}`,
          retention: RetentionDays.THREE_MONTHS,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
        bundling: {
          ...BUNDLING,
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_input: string, output: string) => [`cp "${configFile}" "${output}/access.json"`],
          },
        },
        ...extra,
      });
      for (const statement of identityCenterStatements(identityScope, writes)) fn.addToRolePolicy(statement);
      for (const statement of schedulerStatements(scheduleArnPattern, invokeRole.roleArn)) {
        fn.addToRolePolicy(statement);
      }
      fn.addToRolePolicy(
        new PolicyStatement({
          sid: "ReadSlackSecret",
          actions: ["secretsmanager:GetSecretValue"],
          resources: [slackSecretArn],
        }),
      );
      fn.addToRolePolicy(
        new PolicyStatement({
          sid: "GrantsTableAndIndexes",
          actions: DYNAMODB_ACTIONS,
          resources: [table.tableArn, `${table.tableArn}/index/*`],
        }),
      );
      return fn;
    };

    const capped = reserved > 0 ? { reservedConcurrentExecutions: reserved } : {};
    const slack = makeFunction("slack", Duration.seconds(30), "delete-only");
    const worker = makeFunction("worker", Duration.minutes(5), "create-and-delete", capped);
    const revoker = makeFunction("revoker", Duration.minutes(3), "create-and-delete", {
      ...capped,
      deadLetterQueue: deadLetters,
    });
    worker.grantInvoke(slack);

    invokeRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: "InvokeRevokerOnly",
        actions: ["lambda:InvokeFunction"],
        resources: [revoker.functionArn, `${revoker.functionArn}:*`],
      }),
    );
    invokeRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: "DeadLetterFailedInvocations",
        actions: ["sqs:SendMessage"],
        resources: [deadLetters.queueArn],
      }),
    );

    new Rule(this, "SweepEveryMinute", {
      description: "Expiry pass over due grants: the backstop for missed or failed schedules",
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(revoker, { event: RuleTargetInput.fromObject({ sweep: true }) })],
    });

    const url = slack.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });

    addAlarms(this, { revoker, deadLetters, alarmEmail: props.alarmEmail });

    new CfnOutput(this, "SlackRequestUrl", {
      value: `${url.url}slack/events`,
      description: "Paste into the Slack app: slash command and interactivity request URL",
    });
    new CfnOutput(this, "GrantsTableName", { value: table.tableName });
    new CfnOutput(this, "ScheduleGroupName", { value: group.ref });
    new CfnOutput(this, "DeadLetterQueueUrl", { value: deadLetters.queueUrl });
  }
}
