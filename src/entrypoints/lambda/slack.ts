import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { App, AwsLambdaReceiver } from "@slack/bolt";
import { createSlackClient, slackClientOptions, slackLogger } from "../../adapters/slack/client.js";
import { installationOf } from "../../adapters/slack/installation.js";
import { register } from "../../adapters/slack/register.js";
import type { Jobs } from "../../app/deps.js";
import type { Logger } from "../../app/ports.js";
import { buildLambdaContext, type LambdaOverrides } from "./context.js";

type LambdaHandler = ReturnType<AwsLambdaReceiver["toHandler"]>;
type FunctionUrlEvent = Parameters<LambdaHandler>[0];

/** Built on the first event; a failed build (secret or config unreadable) is tried again on the next. */
let ready: Promise<LambdaHandler> | undefined;

/** Hands a grant to the worker function with an asynchronous invocation: Slack is answered without waiting for AWS. */
export function lambdaJobs(client: LambdaClient, functionName: string, log: Logger): Jobs {
  return {
    drive: async (grantId) => {
      try {
        await client.send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: "Event",
            Payload: new TextEncoder().encode(JSON.stringify({ grantId })),
          }),
        );
      } catch (error) {
        // The one-minute sweep drives the grant anyway; this only costs time.
        log.error("worker not invoked; the sweep will pick the grant up", { grantId, error: String(error) });
      }
    },
  };
}

function workerFunction(): string {
  const name = process.env.WORKER_FUNCTION_NAME;
  if (!name) throw new Error("environment variable WORKER_FUNCTION_NAME is not set");
  return name;
}

/** Builds the Bolt app once per cold start; slow work goes to the worker through `jobs`, never into the answer. */
export async function buildSlackHandler(overrides: LambdaOverrides = {}): Promise<LambdaHandler> {
  const { deps, secrets, log } = await buildLambdaContext("slack", {
    ...overrides,
    jobs: overrides.jobs ?? ((log) => lambdaJobs(new LambdaClient({}), workerFunction(), log)),
  });
  const logger = slackLogger(log);
  const receiver = new AwsLambdaReceiver({ signingSecret: secrets.signingSecret, logger });
  const app = new App({
    token: secrets.botToken,
    receiver,
    logger,
    clientOptions: slackClientOptions(process.env.SLACK_API_URL, log),
    processBeforeResponse: true,
  });
  app.error(async (error) => {
    log.error("slack: listener failed", { error: `${error.name}: ${error.message}` });
  });
  // Once per cold start: which Slack team (and Grid organisation) may use the app.
  const installation = await installationOf(
    createSlackClient(secrets.botToken, process.env.SLACK_API_URL, log),
  );
  register(app, { ...deps, installation });
  return receiver.toHandler();
}

/** Behind the Function URL: Slack-signed slash commands and interactivity. */
export async function handler(event: FunctionUrlEvent, context: Parameters<LambdaHandler>[1]) {
  ready ??= buildSlackHandler().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  const handle = await ready;
  return handle(event, context);
}
