import { expect } from "vitest";
import { ACTIONS, REQUEST_FIELDS, VIEWS } from "../../src/adapters/slack/action-ids.js";
import * as slackFunction from "../../src/entrypoints/lambda/slack.js";
import * as workerFunction from "../../src/entrypoints/lambda/worker.js";
import type { FakeView } from "../../src/sim/slack/fake-slack.js";
import { findElement } from "../../src/sim/workspace/blocks.js";
import { type PageValue, stateValues } from "../../src/sim/workspace/values.js";
import { DynamoProxy } from "./dynamo-proxy.js";
import { PEOPLE, type Person } from "./e2e.js";
import { functionUrlEvent, LambdaStack } from "./lambda.js";
import {
  blockActionPayload,
  type FormValues,
  type SignedRequest,
  signedBlockAction,
  signedSlashCommand,
  slashCommandFields,
  viewSubmissionPayload,
} from "./slack.js";

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

/** The request form submitted with these choices by `who`, as Slack sends the view_submission. */
export function requestFormSubmission(
  form: FakeView,
  choices: RequestChoices,
  who: Person = PEOPLE.dev,
): Record<string, unknown> {
  return viewSubmissionPayload({
    callbackId: VIEWS.request,
    viewId: form.id,
    privateMetadata: String(form.view.private_metadata ?? ""),
    userId: who.slackId,
    values: requestFormValues(form, choices),
  });
}

/** A request from Slack with the id of its response_url and trigger (`trigger.<id>`). */
export type Sent = SignedRequest & { id: string };

/**
 * The exported Slack and worker handlers (built from the environment, as on a cold start) in front of the local
 * stand-ins, DynamoDB behind a proxy that sees every operation.
 */
export class HandoffRig {
  readonly stack = new LambdaStack();
  private seq = 0;
  private parts: { proxy: DynamoProxy; probe: SlackFunctionProbe } | undefined;
  private coldStart: Answered | undefined;

  /** The proxy in front of DynamoDB Local, which sees every operation. */
  get proxy(): DynamoProxy {
    return this.running().proxy;
  }

  /** What the Slack function did on its cold start, answering the `help` that start sends. */
  get cold(): Answered {
    if (!this.coldStart) throw new Error("HandoffRig is not started");
    return this.coldStart;
  }

  /** Starts the stack behind the proxy, then sends `help` through both functions, as a first request would. */
  async start(dynamoEndpoint: string): Promise<void> {
    const proxy = new DynamoProxy(dynamoEndpoint);
    const proxied = await proxy.start();
    this.parts = { proxy, probe: new SlackFunctionProbe(this.stack, proxy, slackFunction.handler) };
    await this.stack.start(proxied);
    this.coldStart = await this.answer(this.slash("help"));
    await this.runWorker();
  }

  async stop(): Promise<void> {
    await this.stack.stop();
    await this.parts?.proxy.stop();
  }

  private running() {
    if (!this.parts) throw new Error("HandoffRig is not started");
    return this.parts;
  }

  /** The Slack function's answer to one request, with every call it made meanwhile. */
  answer(request: SignedRequest): Promise<Answered> {
    return this.running().probe.answer(request);
  }

  /** Runs what the functions handed on in the exported worker handler, as Lambda would; true if all went well. */
  async runWorker(): Promise<boolean> {
    return (await this.stack.runWorker(workerFunction.handler)).every((result) => result.ok);
  }

  slash(text: string, who: Person = PEOPLE.dev): Sent {
    const id = `h${++this.seq}`;
    const fields = {
      user_id: who.slackId,
      text,
      trigger_id: `trigger.${id}`,
      response_url: this.stack.slack.responseUrl(id),
    };
    return Object.assign(signedSlashCommand(this.stack.secret, slashCommandFields(fields)), { id });
  }

  click(action: keyof typeof ACTIONS, value: string, who: Person = PEOPLE.admin): Sent {
    const id = `h${++this.seq}`;
    const payload = blockActionPayload({
      actionId: ACTIONS[action],
      value,
      userId: who.slackId,
      responseUrl: this.stack.slack.responseUrl(id),
    });
    const signed = signedBlockAction(this.stack.secret, { ...payload, trigger_id: `trigger.${id}` });
    return Object.assign(signed, { id });
  }

  /** Requests `prod ReadOnly` through both functions; returns the pending grant's id. */
  async pendingGrant(reason: string, who: Person = PEOPLE.dev): Promise<string> {
    await this.answer(this.slash(`prod ReadOnly 1h ${reason}`, who));
    await this.runWorker();
    const grant = (await this.stack.store.byRequester(who.slackId, 50)).find((g) => g.reason === reason);
    if (!grant) throw new Error(`no grant for ${reason}`);
    return grant.id;
  }

  /** A pending grant approved by an admin and provisioned by the worker. */
  async activeGrant(reason: string, who: Person = PEOPLE.dev): Promise<string> {
    const id = await this.pendingGrant(reason, who);
    await this.answer(this.click("approve", id));
    await this.runWorker();
    expect(await this.stack.statusOf(id)).toBe("active");
    return id;
  }

  /** The modal opened with the trigger of request `id`, as the fake Slack holds it now. */
  viewOpenedBy(id: string): FakeView {
    const trigger = `trigger.${id}`;
    expect(
      this.stack.slack.callsTo("views.open").filter((call) => call.args.trigger_id === trigger),
    ).toHaveLength(1);
    const view = [...this.stack.slack.views.values()].find((v) => v.triggerId === trigger);
    if (!view) throw new Error(`no view opened with ${trigger}`);
    return view;
  }

  /** Shows a submission's answer as Slack does: its view replaces the submitted one when the answer arrives. */
  showAnswer(answered: Answered, viewId: string): void {
    this.stack.slack.records.putView(answered.json?.view as Record<string, unknown>, viewId);
  }
}

/**
 * What the Slack function may do while it answers: nothing a listener does after its ack. No DynamoDB, no Identity
 * Center, and no Slack Web API call but these (views.open before an ack, auth.test on a cold start).
 */
export function expectNothingAfterAck(answered: Answered, slackCalls: string[] = []): void {
  expect(answered.status).toBe(200);
  expect(answered.slackCalls).toEqual(slackCalls);
  expect(answered.dynamo).toEqual([]);
  expect(answered.identityCenter).toEqual([]);
}
