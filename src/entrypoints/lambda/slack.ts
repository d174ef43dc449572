import { App, AwsLambdaReceiver } from "@slack/bolt";
import { createSlackClient, slackClientOptions, slackLogger } from "../../adapters/slack/client.js";
import { installationOf } from "../../adapters/slack/installation.js";
import { register } from "../../adapters/slack/register.js";
import { buildLambdaContext, type LambdaOverrides } from "./context.js";
import { answerAtAck, handoffClient, invokeWorker, isHandoff, workerFunction } from "./handoff.js";
import { handoffKey, type SlackHandoff, sealHandoff } from "./handoff-seal.js";
import { TriggeredCalls } from "./triggered-calls.js";

type LambdaHandler = ReturnType<AwsLambdaReceiver["toHandler"]>;
type FunctionUrlEvent = Parameters<LambdaHandler>[0];

/** Built on the first event; a failed build (secret or config unreadable) is tried again on the next. */
let ready: Promise<LambdaHandler> | undefined;

/**
 * Builds the Bolt app once per cold start. Each request runs only up to its listener's ack here: Slack gets the
 * ack as the Function URL's answer, and the worker runs the rest (see handoff.ts).
 */
export async function buildSlackHandler(overrides: LambdaOverrides = {}): Promise<LambdaHandler> {
  const context = await buildLambdaContext("slack", overrides);
  const { deps, log } = context;
  const secrets = await context.secrets();
  const slackApiUrl = process.env.SLACK_API_URL;
  const logger = slackLogger(log);
  const receiver = new AwsLambdaReceiver({ signingSecret: secrets.signingSecret, logger });
  const calls = new TriggeredCalls("record");
  const app = new App({
    token: secrets.botToken,
    receiver,
    logger,
    clientOptions: { ...slackClientOptions(slackApiUrl, log), fetch: calls.fetch() },
    deferInitialization: true,
  });
  app.error(async (error) => {
    if (isHandoff(error)) return;
    log.error("slack: listener failed", { error: `${error.name}: ${error.message}` });
  });
  // Once per cold start, at the same time as Bolt's own auth.test: which Slack team (and Grid organisation) may use the app.
  const [, installation] = await Promise.all([
    app.init(),
    installationOf(createSlackClient(secrets.botToken, slackApiUrl, log)),
  ]);
  register(app, { ...deps, installation });
  // The worker runs listeners past their ack only for requests sealed here, after Bolt checked Slack's signature.
  const key = handoffKey(secrets.signingSecret);
  const seal = (handoff: SlackHandoff) => sealHandoff(key, handoff, deps.clock.now());
  answerAtAck(app, { calls, handOff: invokeWorker(handoffClient(), workerFunction(), log, seal) });
  const handle = receiver.toHandler();
  return (event, lambdaContext) => {
    log.addContext(lambdaContext);
    return handle(event, lambdaContext);
  };
}

/** Behind the Function URL: Slack-signed slash commands, interactivity and Events API callbacks. */
export async function handler(event: FunctionUrlEvent, context: Parameters<LambdaHandler>[1]) {
  ready ??= buildSlackHandler().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  const handle = await ready;
  return handle(event, context);
}
