import { REQUEST_FIELDS } from "../../src/adapters/slack/action-ids.js";
import type { FakeView } from "../../src/sim/slack/fake-slack.js";
import { findElement } from "../../src/sim/workspace/blocks.js";
import { type PageValue, stateValues } from "../../src/sim/workspace/values.js";
import type { DynamoProxy } from "./dynamo-proxy.js";
import { functionUrlEvent, type LambdaStack } from "./lambda.js";
import type { FormValues, SignedRequest } from "./slack.js";

type SlackHandler = (
  event: ReturnType<typeof functionUrlEvent>,
  context: object,
) => Promise<{ statusCode: number; body: string }>;

/** What the Slack function did while it answered one request: the Function URL's answer and every call it made. */
export interface Answered {
  status: number;
  body: string;
  /** The answer's body as JSON, when it is JSON (a response_action, options). */
  json: Record<string, unknown> | undefined;
  /** Slack Web API methods called meanwhile, in order. */
  slackCalls: string[];
  /** DynamoDB operations meanwhile. */
  dynamo: string[];
  /** Identity Center operations meanwhile. */
  identityCenter: string[];
  /** Request bodies handed to the worker meanwhile. */
  handedOn: Array<Record<string, unknown>>;
}

/**
 * Sends Slack requests to the Slack function and records what happened while it answered. Nothing else runs
 * meanwhile (the worker runs only when the test calls runWorker), so every call in that span is the function's.
 */
export class SlackFunctionProbe {
  constructor(
    private readonly stack: LambdaStack,
    private readonly dynamo: DynamoProxy,
    private readonly handler: SlackHandler,
  ) {}

  async answer(request: SignedRequest): Promise<Answered> {
    const { slack, sim, lambdaApi } = this.stack;
    const calls = slack.calls.length;
    const ops = this.dynamo.seen.length;
    const invocations = lambdaApi.invocations.length;
    const startedAt = Date.now();
    const answer = await this.handler(functionUrlEvent(request), {});
    const endedAt = Date.now();
    let json: Record<string, unknown> | undefined;
    try {
      json = answer.body ? (JSON.parse(answer.body) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    return {
      status: answer.statusCode,
      body: answer.body,
      json,
      slackCalls: slack.calls.slice(calls).map((call) => call.method),
      dynamo: this.dynamo.seen.slice(ops),
      identityCenter: sim
        .calls()
        .filter((call) => call.at >= startedAt && call.at <= endedAt)
        .map((call) => call.operation),
      handedOn: lambdaApi.invocations.slice(invocations).flatMap(({ payload }) => {
        const body = (payload as { slack?: { body?: Record<string, unknown> } }).slack?.body;
        return body ? [body] : [];
      }),
    };
  }
}

/** What a person picks in the request form: each field by its key, as option values or text. */
export type RequestChoices = Partial<Record<keyof typeof REQUEST_FIELDS, string | string[]>>;

/** The request form's state values for these choices, typed by the elements of the form Slack shows. */
export function requestFormValues(form: FakeView, choices: RequestChoices): FormValues {
  const blocks = Array.isArray(form.view.blocks) ? (form.view.blocks as unknown[]) : [];
  const values: PageValue[] = [];
  for (const [key, chosen] of Object.entries(choices)) {
    const ids = REQUEST_FIELDS[key as keyof typeof REQUEST_FIELDS];
    const element = findElement(blocks, ids.block, ids.action)?.element;
    const type = typeof element?.type === "string" ? element.type : "plain_text_input";
    const list = Array.isArray(chosen) ? chosen : [chosen ?? ""];
    values.push({
      blockId: ids.block,
      actionId: ids.action,
      type,
      ...(type.startsWith("multi_") ? { values: list } : { value: list[0] ?? "" }),
      ...(type.includes("external") ? { picked: list.map((value) => ({ value, label: value })) } : {}),
    });
  }
  return stateValues(blocks, values) as FormValues;
}
