import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { AckFn, App } from "@slack/bolt";
import { metric } from "../../adapters/log/json-logger.js";
import { readInteraction } from "../../adapters/slack/listeners/payload.js";
import type { Logger } from "../../app/ports.js";
import type { SealedHandoff, SlackHandoff } from "./handoff-seal.js";
import { type TriggeredCalls, triggerOf } from "./triggered-calls.js";

/** Thrown by ack in the Slack function: stops the listener there, since the worker runs it past its ack. */
class Handoff extends Error {
  // A code keeps Bolt from wrapping it, so the error handler can tell it apart.
  readonly code = "aws_access_handoff";

  constructor() {
    super("handed to the worker after ack");
    this.name = "Handoff";
  }
}

/** Whether an error is the Handoff that ended a listener at its ack: expected, never logged. */
export function isHandoff(error: unknown): boolean {
  return error instanceof Handoff;
}

/**
 * Makes the Slack function answer at ack: a listener's ack stores Slack's answer, hands the same request to the
 * worker and stops the listener (Handoff), so the Function URL answers at once and everything after ack runs in the
 * worker. Events API callbacks, which Bolt acknowledges before any middleware, are handed on without running here.
 * Options requests (block_suggestion) are answered here in full and never handed on.
 */
export function answerAtAck(
  app: App,
  options: { calls: TriggeredCalls; handOff: (handoff: SlackHandoff) => Promise<void> },
): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event) => {
    if (readInteraction(event.body)?.kind === "options") return processEvent(event);
    const trigger = triggerOf(event.body);
    const ack: AckFn<unknown> = async (response) => {
      await event.ack(response);
      const opened = trigger ? options.calls.take(trigger) : [];
      await options.handOff({ body: event.body, ...(opened.length > 0 ? { opened } : {}) });
      throw new Handoff();
    };
    try {
      await processEvent({ ...event, ack });
    } catch (error) {
      if (!isHandoff(error)) throw error;
    } finally {
      if (trigger) options.calls.take(trigger);
    }
  };
}

/** The worker's name, as the stack sets it. */
export function workerFunction(): string {
  const name = process.env.WORKER_FUNCTION_NAME;
  if (!name) throw new Error("environment variable WORKER_FUNCTION_NAME is not set");
  return name;
}

/** A Lambda client that gives up within about 2 s, so a slow Lambda API cannot hold Slack's answer past 3 s. */
export function handoffClient(): LambdaClient {
  return new LambdaClient({
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_000, throwOnRequestTimeout: true },
  });
}

/**
 * Hands a request to the worker with an asynchronous invocation, sealed (the worker runs nothing unsealed). If that
 * fails, Slack still gets its answer (the ack is already stored) and the person sees no follow-up; the failure is
 * logged and counted.
 */
export function invokeWorker(
  client: LambdaClient,
  functionName: string,
  log: Logger,
  seal: (handoff: SlackHandoff) => SealedHandoff,
): (handoff: SlackHandoff) => Promise<void> {
  return async (handoff) => {
    const payload = JSON.stringify({ slack: seal(handoff) });
    try {
      await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: "Event",
          Payload: new TextEncoder().encode(payload),
        }),
      );
    } catch (error) {
      metric("SlackHandoffFailed", 1);
      log.error("slack: answered but not handed to the worker; nothing follows the answer", {
        ...describeRequest(handoff.body),
        bytes: payload.length,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  };
}

/** Kind, type and target of a request from Slack, for the log; no user text. */
export function describeRequest(body: Record<string, unknown>): Record<string, string> {
  const interaction = readInteraction(body);
  if (interaction) {
    return {
      kind: interaction.kind,
      type: interaction.type.slice(0, 64),
      target: (interaction.target ?? "").slice(0, 64),
    };
  }
  const event = body.event as { type?: unknown } | undefined;
  return { kind: "event", type: typeof event?.type === "string" ? event.type.slice(0, 64) : "unknown" };
}
