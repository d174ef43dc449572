import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { readDeployConfig } from "../../infra/config.js";
import { addNagPacks } from "../../infra/nag.js";
import { AwsAccessStack, type AwsAccessStackProps } from "../../infra/stack.js";

const FIXTURES = join(import.meta.dirname, "../infra/fixtures");
/** The deploy config the stack tests synthesize with. */
export const CONFIG = join(FIXTURES, "deploy-config.yml");
/** Bundling three functions and synthesizing takes a while on a shared two-core machine. */
export const SYNTH_TIMEOUT_MS = 180_000;

/** One IAM policy statement as the template holds it. */
export interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** The stack's three Lambda functions. */
export type StackFunction = "slack" | "worker" | "revoker";
/** Logical ids of the functions, the dead-letter queue and the scheduler's invoke role. */
export type StackIds = Record<StackFunction | "queue" | "invokeRole", string>;

/** Synthesizes the stack the way `cdk synth` does (cdk.json context), with fixture handlers; `nag` as infra/app.ts. */
export function synth(
  extra: Partial<AwsAccessStackProps> = {},
  options: { nag?: boolean } = {},
): { template: Template; assemblyDir: string; stack: AwsAccessStack } {
  const context = (JSON.parse(readFileSync("cdk.json", "utf8")) as { context: Record<string, unknown> })
    .context;
  const app = new App({ context });
  if (options.nag) addNagPacks(app);
  const stack = new AwsAccessStack(app, "AwsAccess", {
    configPath: CONFIG,
    slackSecretName: "aws-access/slack",
    entries: {
      slack: join(FIXTURES, "slack.ts"),
      worker: join(FIXTURES, "worker.ts"),
      revoker: join(FIXTURES, "revoker.ts"),
    },
    ...readDeployConfig(CONFIG),
    ...extra,
  });
  const assembly = app.synth();
  return { template: Template.fromStack(stack), assemblyDir: assembly.directory, stack };
}

/** An IAM action or list of actions as a list. */
export const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

/** Finds the logical ids the assertions refer to, so they can follow CDK's generated names. */
export function idsIn(template: Template): StackIds {
  const ids: StackIds = { slack: "", worker: "", revoker: "", queue: "", invokeRole: "" };
  for (const fn of ["slack", "worker", "revoker"] as const) {
    const found = template.findResources("AWS::Lambda::Function", {
      Properties: { FunctionName: `AwsAccess-${fn}` },
    });
    ids[fn] = Object.keys(found)[0] ?? "";
  }
  ids.queue = Object.keys(template.findResources("AWS::SQS::Queue"))[0] ?? "";
  ids.invokeRole =
    Object.keys(
      template.findResources("AWS::IAM::Role", {
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [Match.objectLike({ Principal: { Service: "scheduler.amazonaws.com" } })],
          },
        },
      }),
    )[0] ?? "";
  return ids;
}

/** Every statement of the policies attached to the role of the function with that logical id. */
export function statementsIn(template: Template, functionId: string): Statement[] {
  const role = (
    template.toJSON().Resources[functionId] as { Properties: { Role: { "Fn::GetAtt": string[] } } }
  ).Properties.Role["Fn::GetAtt"][0];
  const policies = template.findResources("AWS::IAM::Policy", {
    Properties: { Roles: Match.arrayWith([{ Ref: role }]) },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
}
