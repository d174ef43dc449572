import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { App, type Receiver } from "@slack/bolt";
import { metric } from "../../adapters/log/json-logger.js";
import { createSlackClient, slackClientOptions, slackLogger } from "../../adapters/slack/client.js";
import { installationOf } from "../../adapters/slack/installation.js";
import { register } from "../../adapters/slack/register.js";
import type { Jobs } from "../../app/deps.js";
import type { Logger } from "../../app/ports.js";
import type { LambdaContext } from "./context.js";
import { describeRequest, workerFunction } from "./handoff.js";
import { handoffKey, type Unsealed, unsealHandoff } from "./handoff-seal.js";
import { TriggeredCalls, triggerOf } from "./triggered-calls.js";

/** Hands a grant to the worker with an asynchronous invocation, so a listener's reply never waits for provisioning. */
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

/** Receives nothing: the worker gives Bolt bodies that the Slack function verified, answered and sealed. */
class HandedOn implements Receiver {
  init(): void {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

export interface SlackWorkOptions {
  /** How grants that listeners start are driven; by default handed to this function again (lambdaJobs). */
  jobs: Jobs | undefined;
  /** Runs after each request: delivers the notices it recorded. */
  after: () => Promise<void>;
}

interface SlackWorkApp {
  app: App;
  calls: TriggeredCalls;
}

/**
 * Runs, in the worker, what each listener does after its ack, for a request the Slack function answered and handed
 * on (`{ slack: { body, opened, at, signature } }`). Only a hand-off the Slack function sealed, within the last 30
 * minutes, runs (handoff-seal.ts): this function's receiver checks nothing else. The same listeners run again with a
 * no-op ack; views the Slack function opened before ack get its recorded answers. Never throws: Lambda would retry
 * the invocation and run the listener twice.
 */
export function slackWork(ctx: LambdaContext, options: SlackWorkOptions) {
  const { log } = ctx;
  const build = keptUnlessFailed(() => buildApp(ctx, options));
  let key: Promise<Buffer> | undefined;
  const keyOf = () => {
    key ??= ctx.secrets().then(
      ({ signingSecret }) => handoffKey(signingSecret),
      (error: unknown) => {
        key = undefined;
        throw error;
      },
    );
    return key;
  };
  return async (event: unknown): Promise<{ ok: boolean }> => {
    let unsealed: Unsealed;
    try {
      unsealed = unsealHandoff(await keyOf(), event, ctx.deps.clock.now());
    } catch (error) {
      log.error("worker: slack request not run: the hand-off key is unreadable", { error: String(error) });
      return { ok: false };
    }
    if (!unsealed.ok) {
      // Not sealed by the Slack function (a forged or replayed invocation): nothing of it runs or is logged.
      metric("SlackHandoffRefused", 1);
      log.error("worker: slack hand-off refused", { reason: unsealed.reason });
      return { ok: false };
    }
    const { handoff } = unsealed;
    const about = describeRequest(handoff.body);
    const started = Date.now();
    let ok = true;
    try {
      const { app, calls } = await build();
      const trigger = triggerOf(handoff.body);
      if (trigger) calls.give(trigger, handoff.opened ?? []);
      try {
        await app.processEvent({ body: handoff.body, ack: async () => {} });
      } finally {
        if (trigger) calls.take(trigger);
      }
    } catch (error) {
      ok = false;
      log.error("worker: slack request not run", { ...about, error: String(error) });
    }
    try {
      await options.after();
    } catch (error) {
      ok = false;
      log.error("worker: notices after a slack request not delivered", { ...about, error: String(error) });
    }
    log.info("worker: slack request done", { ...about, ok, ms: Date.now() - started });
    return { ok };
  };
}

/** A promise made on the first call and kept for the next ones; made again on the next call if it failed. */
function keptUnlessFailed<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}

/** The Bolt app with every listener, built on the first handed-on request (the revocation path never needs it). */
async function buildApp(ctx: LambdaContext, options: SlackWorkOptions): Promise<SlackWorkApp> {
  const { deps, log } = ctx;
  const { botToken } = await ctx.secrets();
  const slackApiUrl = process.env.SLACK_API_URL;
  const calls = new TriggeredCalls("replay");
  const app = new App({
    token: botToken,
    receiver: new HandedOn(),
    logger: slackLogger(log),
    clientOptions: { ...slackClientOptions(slackApiUrl, log), fetch: calls.fetch() },
    deferInitialization: true,
  });
  app.error(async (error) => {
    log.error("slack: listener failed", { error: `${error.name}: ${error.message}` });
  });
  const [, installation] = await Promise.all([
    app.init(),
    installationOf(createSlackClient(botToken, slackApiUrl, log)),
  ]);
  const jobs = options.jobs ?? lambdaJobs(new LambdaClient({}), workerFunction(), log);
  register(app, { ...deps, jobs, installation });
  return { app, calls };
}
