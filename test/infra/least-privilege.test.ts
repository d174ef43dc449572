import { join } from "node:path";
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { FUNCTION_ACCESS, type FunctionName } from "../../infra/access.js";
import { LAMBDA_ENTRIES } from "../../infra/bundling.js";
import {
  idsIn,
  list,
  type StackIds,
  SYNTH_TIMEOUT_MS,
  statementsIn,
  synth,
} from "../support/stack-fixtures.js";
import { actionsFor, type Bundle, buildBundle, commandsIn, transactionActions } from "./bundle-commands.js";

const FUNCTIONS: FunctionName[] = ["slack", "worker", "revoker"];

/** Granted without an SDK call in the code: what Lambda itself does for the function, and what a CDK grant adds. */
function notFromCode(name: FunctionName): Record<string, string> {
  return {
    "logs:CreateLogStream": "Lambda writes the function's logs, to its own log group only",
    "logs:PutLogEvents": "Lambda writes the function's logs, to its own log group only",
    ...(FUNCTION_ACCESS[name].calls.includes("secretsmanager:GetSecretValue")
      ? {
          "secretsmanager:DescribeSecret":
            "Secret.grantRead adds it with GetSecretValue: metadata, never the value",
        }
      : {}),
    ...(name === "revoker"
      ? { "sqs:SendMessage": "Lambda dead-letters the revoker's failed asynchronous invocations" }
      : {}),
  };
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * Least privilege derived from the code: each bundle, built with the stack's esbuild settings, holds a set of SDK
 * commands; their IAM actions are what the function's role may do, no more and no less.
 */
describe("each function's IAM policy against the SDK commands in its bundle", () => {
  const bundles = {} as Record<FunctionName, Bundle>;
  const needed = {} as Record<FunctionName, string[]>;
  const granted = {} as Record<FunctionName, string[]>;
  let template: Template;
  let ids: StackIds;

  beforeAll(async () => {
    for (const name of FUNCTIONS) {
      bundles[name] = await buildBundle(LAMBDA_ENTRIES[name]);
      needed[name] = actionsFor(bundles[name]);
    }
    ({ template } = synth());
    ids = idsIn(template);
    for (const name of FUNCTIONS)
      granted[name] = sorted(statementsIn(template, ids[name]).flatMap((s) => list(s.Action)));
  }, SYNTH_TIMEOUT_MS);

  it.each(FUNCTIONS)(
    "finds the SDK commands of the %s bundle in esbuild's metafile, each with known actions",
    (name) => {
      const commands = commandsIn(bundles[name]);
      expect(commands.filter((c) => c.startsWith("client-dynamodb:")).length).toBeGreaterThan(0);
      expect(needed[name].length).toBeGreaterThan(0);
    },
  );

  it.each(FUNCTIONS)("grants the %s function nothing that its bundle does not call", (name) => {
    const extra = granted[name].filter((action) => !needed[name].includes(action));
    expect(sorted(extra)).toEqual(sorted(Object.keys(notFromCode(name))));
  });

  it.each(FUNCTIONS)(
    "grants the %s function every action its bundle calls, except those declared as bundled but never called",
    (name) => {
      const missing = needed[name].filter((action) => !granted[name].includes(action));
      expect(sorted(missing)).toEqual(sorted(Object.keys(FUNCTION_ACCESS[name].bundledNeverCalled)));
    },
  );

  it("lets the functions that run the engine read a session duration, which it reads as it activates a grant", () => {
    const reads = FUNCTIONS.filter((name) => granted[name].includes("sso:DescribePermissionSet"));
    expect(reads).toEqual(["worker", "revoker"]);
  });

  it("lets no function delete items from the grants table", () => {
    const deleting = ["dynamodb:DeleteItem", "dynamodb:BatchWriteItem"];
    for (const name of FUNCTIONS) {
      expect(granted[name].filter((action) => deleting.includes(action))).toEqual([]);
      expect(needed[name].filter((action) => deleting.includes(action))).toEqual([]);
    }
  });

  it("maps a transaction to the action of each kind of item it writes", () => {
    const fixture = join(import.meta.dirname, "fixtures", "transaction-items.ts");
    expect(transactionActions([fixture])).toEqual([
      "dynamodb:ConditionCheckItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]);
  });

  it("refuses a command or a client it has no IAM actions for", () => {
    const unknownCommand = [
      "node_modules/@aws-sdk/client-dynamodb/dist-es/commands/RestoreTableToPointInTimeCommand.js",
    ];
    expect(() => actionsFor({ inputs: unknownCommand })).toThrow(
      /unknown SDK command RestoreTableToPointInTime/,
    );
    const unknownClient = ["node_modules/@aws-sdk/client-sqs/dist-es/commands/SendMessageCommand.js"];
    expect(() => actionsFor({ inputs: unknownClient })).toThrow(
      /unknown SDK command SendMessage of @aws-sdk\/client-sqs/,
    );
    const opaque = ["node_modules/@aws-sdk/client-sqs/dist-cjs/index.js"];
    expect(() => actionsFor({ inputs: opaque })).toThrow(
      /client-sqs is in the bundle but none of its command modules/,
    );
  });
});
