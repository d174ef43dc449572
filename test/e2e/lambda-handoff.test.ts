import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { ACTIONS, REQUEST_FIELDS, VIEWS } from "../../src/adapters/slack/action-ids.js";
import * as slackFunction from "../../src/entrypoints/lambda/slack.js";
import * as workerFunction from "../../src/entrypoints/lambda/worker.js";
import { signBody } from "../../src/sim/slack/requests.js";
import { DynamoProxy } from "../support/dynamo-proxy.js";
import { PEOPLE } from "../support/e2e.js";
import { type Answered, requestFormValues, SlackFunctionProbe } from "../support/handoff.js";
import { LambdaStack } from "../support/lambda.js";
import {
  blockActionPayload,
  signedBlockAction,
  signedSlashCommand,
  signedViewSubmission,
  slashCommandFields,
  textValue,
  viewSubmissionPayload,
} from "../support/slack.js";

const { dev, admin } = PEOPLE;
type Person = (typeof PEOPLE)[keyof typeof PEOPLE];

let stack: LambdaStack;
let proxy: DynamoProxy;
let probe: SlackFunctionProbe;
let cold: Answered;
let seq = 0;

/** The exported worker handler, as Lambda invokes it with what the functions handed on. */
const runWorker = () => stack.runWorker(workerFunction.handler);

beforeAll(async () => {
  proxy = new DynamoProxy(inject("dynamoEndpoint"));
  stack = await LambdaStack.start(await proxy.start());
  probe = new SlackFunctionProbe(stack, proxy, slackFunction.handler);
  cold = await probe.answer(slash("help"));
  await runWorker();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await proxy?.stop();
});

function slash(text: string, who: Person = dev) {
  const id = `h${++seq}`;
  const fields = {
    user_id: who.slackId,
    text,
    trigger_id: `trigger.${id}`,
    response_url: stack.slack.responseUrl(id),
  };
  return Object.assign(signedSlashCommand(stack.secret, slashCommandFields(fields)), { id });
}

function click(action: keyof typeof ACTIONS, grantId: string, who: Person = admin) {
  const id = `h${++seq}`;
  const payload = blockActionPayload({
    actionId: ACTIONS[action],
    value: grantId,
    userId: who.slackId,
    responseUrl: stack.slack.responseUrl(id),
  });
  return Object.assign(signedBlockAction(stack.secret, { ...payload, trigger_id: `trigger.${id}` }), { id });
}

/** What the Slack function may do while it answers: nothing that a listener does after its ack. */
function expectNothingAfterAck(answered: Answered, slackCalls: string[] = []) {
  expect(answered.status).toBe(200);
  expect(answered.slackCalls).toEqual(slackCalls);
  expect(answered.dynamo).toEqual([]);
  expect(answered.identityCenter).toEqual([]);
}

/** Requests through the Slack function and the worker; returns the pending grant's id. */
async function pendingGrant(reason: string): Promise<string> {
  await probe.answer(slash(`prod ReadOnly 1h ${reason}`));
  await runWorker();
  const grant = (await stack.store.byRequester(dev.slackId, 50)).find((g) => g.reason === reason);
  if (!grant) throw new Error(`no grant for ${reason}`);
  return grant.id;
}

/** The modal the Slack function opened with a trigger, as the fake Slack holds it now. */
function viewOpenedWith(trigger: string) {
  const view = [...stack.slack.views.values()].find((v) => v.triggerId === trigger);
  if (!view) throw new Error(`no view opened with ${trigger}`);
  return view;
}

describe("the Slack function answers at ack and the worker runs the rest", () => {
  it("answers its cold start after reading the secret and asking Slack which team it is in", () => {
    expectNothingAfterAck(
      cold,
      cold.slackCalls.filter((method) => method === "auth.test"),
    );
    expect(stack.secretsManager.asked.length).toBeGreaterThan(0);
    expect(cold.handedOn).toHaveLength(1);
    expect(stack.repliesTo("h1")).toContain("/aws-access");
  });

  it("answers a slash request with an empty ack and records it in the worker", async () => {
    const request = slash("prod ReadOnly 1h handed on");
    const answered = await probe.answer(request);
    expectNothingAfterAck(answered);
    expect(answered.body).toBe("");
    expect(answered.handedOn).toEqual([expect.objectContaining({ text: "prod ReadOnly 1h handed on" })]);
    expect((await stack.store.byRequester(dev.slackId, 50)).map((g) => g.reason)).not.toContain("handed on");

    await runWorker();
    const grant = (await stack.store.byRequester(dev.slackId, 50)).find((g) => g.reason === "handed on");
    expect(grant?.status).toBe("pending");
    expect(stack.repliesTo(request.id)).toContain(grant?.id);
    const posted = stack.slack
      .messagesIn("C0PRODADMIN")
      .some((m) => JSON.stringify(m.blocks).includes(grant?.id ?? "-"));
    expect(posted).toBe(true);
  });

  it("opens the request form from the Slack function once and ends a submission on the outcome view", async () => {
    const command = slash("");
    const opened = await probe.answer(command);
    expectNothingAfterAck(opened, ["views.open"]);
    await runWorker();
    const trigger = `trigger.${command.id}`;
    expect(stack.slack.callsTo("views.open").filter((call) => call.args.trigger_id === trigger)).toHaveLength(
      1,
    );
    const form = viewOpenedWith(trigger);
    expect(form.view.callback_id).toBe(VIEWS.request);

    const values = requestFormValues(form, {
      account: "prod",
      permissionSet: "ReadOnly",
      duration: "1h",
      reason: "form through Lambda",
    });
    const payload = viewSubmissionPayload({
      callbackId: VIEWS.request,
      viewId: form.id,
      privateMetadata: String(form.view.private_metadata ?? ""),
      userId: dev.slackId,
      values,
    });
    const submitted = await probe.answer(signedViewSubmission(stack.secret, payload));
    expectNothingAfterAck(submitted);
    expect(submitted.json).toMatchObject({ response_action: "update" });
    expect(submitted.handedOn).toHaveLength(1);
    // As Slack does: the answer's view replaces the form when the answer arrives, before the worker runs.
    stack.slack.records.putView(submitted.json?.view as Record<string, unknown>, form.id);

    await runWorker();
    const outcome = JSON.stringify(stack.slack.views.get(form.id)?.view);
    expect(outcome).toContain("Request sent");
    expect(outcome).not.toContain("Sending");
    const grant = (await stack.store.byRequester(dev.slackId, 50)).find(
      (g) => g.reason === "form through Lambda",
    );
    expect(grant?.status).toBe("pending");
  });

  it("points at a missing reason in the form and records the refusal in the worker", async () => {
    const startedAt = Date.now();
    const payload = viewSubmissionPayload({
      callbackId: VIEWS.request,
      userId: dev.slackId,
      values: { [REQUEST_FIELDS.reason.block]: { [REQUEST_FIELDS.reason.action]: textValue("") } },
    });
    const answered = await probe.answer(signedViewSubmission(stack.secret, payload));
    expectNothingAfterAck(answered);
    expect(answered.json).toMatchObject({
      response_action: "errors",
      errors: { [REQUEST_FIELDS.reason.block]: expect.any(String) },
    });

    await runWorker();
    const audit = await stack.store.auditBetween({ from: startedAt, to: Date.now() });
    expect(audit.items.some(({ event }) => event.type === "refused" && event.actor === dev.slackId)).toBe(
      true,
    );
  });

  it("approves from a button click in the worker, which provisions the grant", async () => {
    const id = await pendingGrant("approve me");
    const answered = await probe.answer(click("approve", id));
    expectNothingAfterAck(answered);
    expect(answered.handedOn).toHaveLength(1);
    expect(await stack.statusOf(id)).toBe("pending");

    expect((await runWorker()).every((result) => result.ok)).toBe(true);
    expect(await stack.statusOf(id)).toBe("active");
    expect(stack.callsOf("CreateAccountAssignment").length).toBeGreaterThan(0);
  });

  it("revokes now from the requester's button in the worker", async () => {
    const id = await pendingGrant("revoke me");
    await probe.answer(click("approve", id));
    await runWorker();
    const press = click("revokeNow", id, dev);
    const answered = await probe.answer(press);
    expectNothingAfterAck(answered);
    expect(await stack.statusOf(id)).toBe("active");
    await runWorker();
    expect(await stack.statusOf(id)).toBe("ended");
    expect(stack.repliesTo(press.id)).toContain(id);
  });

  it("acknowledges a portal link click", async () => {
    const answered = await probe.answer(click("portalLink", "https://acme.awsapps.com/start"));
    expectNothingAfterAck(answered);
    expect(answered.body).toBe("");
    expect((await runWorker()).every((result) => result.ok)).toBe(true);
  });

  it("answers an options request itself and hands nothing on", async () => {
    const payload = {
      type: "block_suggestion",
      user: { id: dev.slackId, team_id: "T0SANDBOX" },
      team: { id: "T0SANDBOX", domain: "sandbox" },
      api_app_id: "A0ACCESS",
      action_id: REQUEST_FIELDS.account.action,
      block_id: REQUEST_FIELDS.account.block,
      value: "pro",
      view: { id: "V0OPTIONS", callback_id: VIEWS.request, private_metadata: "", state: { values: {} } },
    };
    const answered = await probe.answer(signedBlockAction(stack.secret, payload));
    expectNothingAfterAck(answered);
    expect(answered.json?.options).toEqual(
      expect.arrayContaining([expect.objectContaining({ value: expect.stringMatching(/^prod$/i) })]),
    );
    expect(answered.handedOn).toEqual([]);
  });

  it("acknowledges an Events API callback and hands it on without running a listener", async () => {
    const body = JSON.stringify({
      type: "event_callback",
      team_id: "T0SANDBOX",
      api_app_id: "A0ACCESS",
      event_id: `Ev${++seq}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: "app_home_opened", user: dev.slackId, channel: "D0DEV", tab: "home", event_ts: "1.2" },
    });
    const signed = signBody(stack.secret, body);
    const answered = await probe.answer({
      body,
      headers: { ...signed.headers, "content-type": "application/json" },
    });
    expectNothingAfterAck(answered);
    expect(answered.body).toBe("");
    expect(answered.handedOn).toEqual([expect.objectContaining({ type: "event_callback" })]);
    expect((await runWorker()).every((result) => result.ok)).toBe(true);
  });

  it("still answers when the worker cannot be invoked, and logs that nothing follows", async () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      stack.lambdaApi.failNext = 2;
      const request = slash("prod ReadOnly 1h lost on the way");
      const answered = await probe.answer(request);
      expectNothingAfterAck(answered);
      expect(answered.handedOn).toEqual([]);
      expect(lines.some((line) => line.includes("not handed to the worker"))).toBe(true);
    } finally {
      write.mockRestore();
      stack.lambdaApi.failNext = 0;
    }
    await runWorker();
    expect((await stack.store.byRequester(dev.slackId, 50)).map((g) => g.reason)).not.toContain(
      "lost on the way",
    );
  });
});
