import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Aws, type CfnElement, CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import { FunctionUrlAuthType } from "aws-cdk-lib/aws-lambda";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { parseConfig } from "../src/config/load.js";
import type { FunctionName } from "./access.js";
import { LAMBDA_ENTRIES, type LambdaEntries } from "./bundling.js";
import { type ConcurrencyProps, concurrencyCaps } from "./concurrency.js";
import { ExpiryAlarms } from "./constructs/alarms.js";
import { ExpirySchedules } from "./constructs/expiry.js";
import { AccessFunctions } from "./constructs/functions.js";
import { GrantsTable } from "./constructs/grants-table.js";
import { flatLogicalId } from "./logical-ids.js";
import { acknowledgeByDesign } from "./nag.js";

export type { LambdaEntries } from "./bundling.js";

export interface AwsAccessStackProps extends StackProps, ConcurrencyProps {
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
  /** The functions' log level (POWERTOOLS_LOG_LEVEL): DEBUG, INFO (default), WARN, ERROR or SILENT. */
  logLevel?: string;
}

/** The levels Powertools' logger knows; another value would be ignored silently on Lambda. */
const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL", "SILENT"];

/** The log level as POWERTOOLS_LOG_LEVEL takes it, refused at synth time when it is not one. */
export function logLevelOf(value: string | undefined): string {
  const level = (value ?? "INFO").toUpperCase();
  if (!LOG_LEVELS.includes(level)) {
    throw new Error(`logLevel '${value}' is not a log level (use ${LOG_LEVELS.join(", ")})`);
  }
  return level;
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

/** The bot on AWS: Slack via a Function URL, provisioning worker, revoker on schedules and a sweep. */
export class AwsAccessStack extends Stack {
  constructor(scope: Construct, id: string, props: AwsAccessStackProps) {
    super(scope, id, props);
    const logLevel = logLevelOf(props.logLevel);
    const concurrency = concurrencyCaps(props);
    const names: Record<FunctionName, string> = {
      slack: `${this.stackName}-slack`,
      worker: `${this.stackName}-worker`,
      revoker: `${this.stackName}-revoker`,
    };
    const { table } = new GrantsTable(this, "Table");
    const expiry = new ExpirySchedules(this, "Expiry", { groupName: `${this.stackName}-expiry` });
    const functions = new AccessFunctions(this, "Functions", {
      entries: { ...LAMBDA_ENTRIES, ...props.entries },
      names,
      configFile: compileConfig(resolve(props.configPath)),
      concurrency,
      deadLetters: expiry.deadLetters,
      environment: {
        GRANTS_TABLE: table.tableName,
        ACCESS_CONFIG: BUNDLED_CONFIG_PATH,
        SLACK_SECRET_NAME: props.slackSecretName,
        WORKER_FUNCTION_NAME: names.worker,
        SCHEDULE_GROUP: expiry.group.scheduleGroupName,
        SCHEDULER_ROLE_ARN: expiry.invokeRole.roleArn,
        REVOKER_ARN: `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${Aws.ACCOUNT_ID}:function:${names.revoker}`,
        DEAD_LETTER_ARN: expiry.deadLetters.queueArn,
        NODE_OPTIONS: "--enable-source-maps",
        POWERTOOLS_SERVICE_NAME: "aws-access",
        POWERTOOLS_LOG_LEVEL: logLevel,
      },
      targets: {
        identityCenter: props,
        table,
        scheduleGroup: expiry.group,
        invokeRole: expiry.invokeRole,
        slackSecret: Secret.fromSecretNameV2(this, "SlackSecret", props.slackSecretName),
      },
    });
    const sweep = expiry.drive(functions.revoker);
    const url = functions.slack.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    const alarms = new ExpiryAlarms(this, "Alarms", {
      revoker: functions.revoker,
      deadLetters: expiry.deadLetters,
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
    });
    acknowledgeByDesign({ stack: this, identityCenter: props, table, expiry, sweep, functions, alarms });

    new CfnOutput(this, "SlackRequestUrl", {
      value: `${url.url}slack/events`,
      description: "Paste into the Slack app: slash command and interactivity request URL",
    });
    new CfnOutput(this, "GrantsTableName", { value: table.tableName });
    new CfnOutput(this, "ScheduleGroupName", { value: expiry.group.scheduleGroupName });
    new CfnOutput(this, "DeadLetterQueueUrl", { value: expiry.deadLetters.queueUrl });
  }

  /** The constructs this stack is made of add no level to logical ids (see FlatConstruct). */
  protected override allocateLogicalId(element: CfnElement): string {
    return flatLogicalId(this, element);
  }
}
