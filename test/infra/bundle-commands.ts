import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type Metafile } from "esbuild";
import ts from "typescript";
import { esbuildOptions, REPO_ROOT } from "../../infra/bundling.js";

/** Marks TransactWriteItems: IAM authorises each item by its own action, read from the project's source. */
const TRANSACTION = "transaction";

/**
 * IAM actions each AWS SDK v3 command needs, by client package. Every command a bundle holds must be listed:
 * an unknown one fails the test until someone writes down what it needs. An empty list: never sent by this code.
 */
export const COMMAND_ACTIONS: Record<string, Record<string, readonly string[] | typeof TRANSACTION>> = {
  "client-dynamodb": {
    GetItem: ["dynamodb:GetItem"],
    BatchGetItem: ["dynamodb:BatchGetItem"],
    TransactGetItems: ["dynamodb:GetItem"],
    Query: ["dynamodb:Query"],
    Scan: ["dynamodb:Scan"],
    PutItem: ["dynamodb:PutItem"],
    UpdateItem: ["dynamodb:UpdateItem"],
    DeleteItem: ["dynamodb:DeleteItem"],
    BatchWriteItem: ["dynamodb:BatchWriteItem"],
    TransactWriteItems: TRANSACTION,
    DescribeTable: ["dynamodb:DescribeTable"],
    CreateTable: ["dynamodb:CreateTable"],
    // Endpoint discovery: the client sends it only when AWS_ENABLE_ENDPOINT_DISCOVERY is on, which nothing sets.
    DescribeEndpoints: [],
  },
  "client-sso-admin": {
    ListInstances: ["sso:ListInstances"],
    ListAccountAssignments: ["sso:ListAccountAssignments"],
    CreateAccountAssignment: ["sso:CreateAccountAssignment"],
    DeleteAccountAssignment: ["sso:DeleteAccountAssignment"],
    DescribeAccountAssignmentCreationStatus: ["sso:DescribeAccountAssignmentCreationStatus"],
    DescribeAccountAssignmentDeletionStatus: ["sso:DescribeAccountAssignmentDeletionStatus"],
    ListAccountAssignmentCreationStatus: ["sso:ListAccountAssignmentCreationStatus"],
    ListAccountAssignmentDeletionStatus: ["sso:ListAccountAssignmentDeletionStatus"],
    ListPermissionSets: ["sso:ListPermissionSets"],
    DescribePermissionSet: ["sso:DescribePermissionSet"],
  },
  "client-identitystore": {
    GetUserId: ["identitystore:GetUserId"],
    GetGroupId: ["identitystore:GetGroupId"],
    IsMemberInGroups: ["identitystore:IsMemberInGroups"],
    DescribeUser: ["identitystore:DescribeUser"],
    DescribeGroup: ["identitystore:DescribeGroup"],
    ListGroupMembershipsForMember: ["identitystore:ListGroupMembershipsForMember"],
    ListGroupMemberships: ["identitystore:ListGroupMemberships"],
  },
  "client-scheduler": {
    // The schedule is created with the invoke role as its target's role, which IAM checks as iam:PassRole.
    CreateSchedule: ["scheduler:CreateSchedule", "iam:PassRole"],
    UpdateSchedule: ["scheduler:UpdateSchedule", "iam:PassRole"],
    DeleteSchedule: ["scheduler:DeleteSchedule"],
    GetSchedule: ["scheduler:GetSchedule"],
  },
  "client-secrets-manager": { GetSecretValue: ["secretsmanager:GetSecretValue"] },
  "client-lambda": { Invoke: ["lambda:InvokeFunction"] },
};

/** Transaction items by kind, and the action IAM checks for each. */
const TRANSACTION_ITEMS: Record<string, string> = {
  Put: "dynamodb:PutItem",
  Update: "dynamodb:UpdateItem",
  Delete: "dynamodb:DeleteItem",
  ConditionCheck: "dynamodb:ConditionCheckItem",
};

/** The SDK's own credential chain (STS, SSO, OIDC, sign-in); on Lambda credentials come from the environment. */
const CREDENTIAL_CLIENTS = "@aws-sdk/nested-clients/";
const COMMAND_FILE = /node_modules\/@aws-sdk\/([\w-]+)\/dist-es\/commands\/(\w+)Command\.js$/;
const CLIENT_PACKAGE = /node_modules\/@aws-sdk\/(client-[\w-]+)\//;

/** One bundle as the stack builds it: the modules that made it into the output, by path. */
export interface Bundle {
  inputs: string[];
}

/** Builds a handler with the stack's own esbuild settings (nothing written) and keeps its metafile's inputs. */
export async function buildBundle(entry: string): Promise<Bundle> {
  const result = await build({
    ...esbuildOptions(entry, join(tmpdir(), "aws-access-commands", "index.mjs")),
    absWorkingDir: REPO_ROOT,
    write: false,
    metafile: true,
    logLevel: "error",
  });
  return { inputs: inputsOf(result.metafile) };
}

function inputsOf(metafile: Metafile): string[] {
  const inputs = Object.values(metafile.outputs).flatMap((output) => Object.entries(output.inputs));
  return inputs.filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path);
}

/** `client-dynamodb:PutItem` for every SDK v3 command module in the bundle, credential clients left out. */
export function commandsIn(bundle: Bundle): string[] {
  const commands = new Set<string>();
  const clients = new Set<string>();
  for (const path of bundle.inputs) {
    const client = CLIENT_PACKAGE.exec(path)?.[1];
    if (client) clients.add(client);
    const command = COMMAND_FILE.exec(path);
    if (command && !path.includes(CREDENTIAL_CLIENTS)) commands.add(`${command[1]}:${command[2]}`);
  }
  for (const client of clients) {
    if (![...commands].some((command) => command.startsWith(`${client}:`))) {
      throw new Error(
        `${client} is in the bundle but none of its command modules is: is it bundled from dist-es?`,
      );
    }
  }
  return [...commands].sort();
}

/** The IAM actions the bundle's commands need, by the table above; an unknown client or command throws. */
export function actionsFor(bundle: Bundle): string[] {
  const actions = new Set<string>();
  for (const qualified of commandsIn(bundle)) {
    const [client = "", command = ""] = qualified.split(":");
    const known = COMMAND_ACTIONS[client]?.[command];
    if (known === undefined) {
      throw new Error(`unknown SDK command ${command} of @aws-sdk/${client}: add the IAM actions it needs`);
    }
    const needed = known === TRANSACTION ? transactionActions(projectSources(bundle)) : known;
    for (const action of needed) actions.add(action);
  }
  return [...actions].sort();
}

/** The project's own TypeScript files in the bundle, as absolute paths. */
export function projectSources(bundle: Bundle): string[] {
  return bundle.inputs
    .filter((path) => !path.includes("node_modules/") && path.endsWith(".ts"))
    .map((path) => join(REPO_ROOT, path));
}

/** Item-level actions of TransactWriteItems: the Put/Update/Delete/ConditionCheck keys the given sources write. */
export function transactionActions(files: string[]): string[] {
  const found = new Set<string>();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
        const action = TRANSACTION_ITEMS[node.name.getText(source)];
        if (action) found.add(action);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  if (found.size === 0)
    throw new Error("TransactWriteItems is bundled but no source writes a transaction item");
  return [...found].sort();
}
