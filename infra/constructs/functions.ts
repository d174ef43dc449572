import { join } from "node:path";
import { Aws, Duration, RemovalPolicy } from "aws-cdk-lib";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Function as LambdaFunction, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { FUNCTION_ACCESS, type FunctionName } from "../access.js";
import { BUNDLING, type LambdaEntries, REPO_ROOT } from "../bundling.js";
import { FlatConstruct } from "../logical-ids.js";
import { type GrantTargets, grantCalls } from "../policies.js";

export interface AccessFunctionsProps {
  entries: LambdaEntries;
  names: Record<FunctionName, string>;
  /** access.yml compiled to JSON, copied into every bundle as access.json. */
  configFile: string;
  environment: Record<string, string>;
  /** Reserved concurrency per function; undefined leaves it uncapped. */
  concurrency: Record<FunctionName, number | undefined>;
  /** Where the revoker's failed asynchronous invocations go. */
  deadLetters: IQueue;
  targets: Omit<GrantTargets, "worker">;
}

/**
 * Each function's timeout; the expiry benchmark gives every simulated invocation the same deadline. The revoker
 * has Lambda's longest, so one lease holder works a backlog off without handing it over mid-way (each hand-over
 * drains the operations in flight first); a run with nothing due lets go within seconds.
 */
export const TIMEOUTS: Record<FunctionName, Duration> = {
  slack: Duration.seconds(30),
  worker: Duration.minutes(5),
  revoker: Duration.minutes(15),
};

/** The three functions, each with its own log group and a role that holds exactly its declared calls. */
export class AccessFunctions extends FlatConstruct {
  readonly slack: NodejsFunction;
  readonly worker: NodejsFunction;
  readonly revoker: NodejsFunction;
  readonly names: Record<FunctionName, string>;

  constructor(scope: Construct, id: string, props: AccessFunctionsProps) {
    super(scope, id);
    this.names = props.names;
    this.slack = this.function("slack", props);
    this.worker = this.function("worker", props);
    this.revoker = this.function("revoker", props);
    // By name: the worker wakes itself too, and its own ARN in its policy would be a dependency cycle.
    const worker = LambdaFunction.fromFunctionName(this, "WorkerByName", props.names.worker);
    const targets = { ...props.targets, worker };
    for (const name of ["slack", "worker", "revoker"] as const) {
      const { calls, leadingKeys, attributes } = FUNCTION_ACCESS[name];
      grantCalls(this[name], calls, targets, leadingKeys && { leadingKeys, attributes });
    }
    // A revoker run that reaches its deadline with a backlog starts the next run at once (REVOKER_ARN): by name,
    // unqualified, as its own ARN would be a dependency cycle.
    this.revoker.addToRolePolicy(
      new PolicyStatement({
        sid: "ContinueBacklog",
        actions: ["lambda:InvokeFunction"],
        resources: [
          `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${Aws.ACCOUNT_ID}:function:${props.names.revoker}`,
        ],
      }),
    );
  }

  private function(name: FunctionName, props: AccessFunctionsProps): NodejsFunction {
    const title = `${name[0]?.toUpperCase()}${name.slice(1)}`;
    const logGroup = new LogGroup(this, `${name}Logs`, {
      logGroupName: `/aws/lambda/${props.names[name]}`,
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // No AWSLambdaBasicExecutionRole: it writes logs anywhere, and this function's log group already exists.
    const role = new Role(this, `${title}FunctionRole`, {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs the ${name} function of aws-access`,
    });
    logGroup.grantWrite(role);
    const reserved = props.concurrency[name];
    return new NodejsFunction(this, `${title}Function`, {
      functionName: props.names[name],
      entry: props.entries[name],
      handler: "handler",
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: TIMEOUTS[name],
      environment: props.environment,
      role,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      bundling: {
        ...BUNDLING,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) => [
            `cp "${props.configFile}" "${output}/access.json"`,
          ],
        },
      },
      ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
      ...(name === "revoker" ? { deadLetterQueue: props.deadLetters } : {}),
    });
  }
}
