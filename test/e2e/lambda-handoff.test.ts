import { describe, expect, it } from "vitest";
import { REQUEST_FIELDS, VIEWS } from "../../src/adapters/slack/action-ids.js";
import { signBody } from "../../src/sim/slack/requests.js";
import { PEOPLE } from "../support/e2e.js";
import { expectNothingAfterAck, HandoffRig, requestFormSubmission } from "../support/handoff.js";
import { startedForFile } from "../support/hooks.js";
import { captureLogs } from "../support/log-capture.js";
import {
  blockSuggestionPayload,
  signedBlockSuggestion,
  signedViewSubmission,
  textValue,
  viewSubmissionPayload,
} from "../support/slack.js";

const { dev } = PEOPLE;

const rig = startedForFile(new HandoffRig());

/** Dev typing "pro" into the request form's account field, as Slack's options request sends it. */
const accountOptions = (team?: { id: string; domain: string }) =>
  signedBlockSuggestion(
    rig.stack.secret,
    blockSuggestionPayload({
      actionId: REQUEST_FIELDS.account.action,
      blockId: REQUEST_FIELDS.account.block,
      value: "pro",
      userId: dev.slackId,
      ...(team ? { team } : {}),
    }),
  );

const reasons = async () => (await rig.stack.store.byRequester(dev.slackId, 50)).map((g) => g.reason);

describe("the Slack function answers commands, forms and events at ack; the worker runs the rest", () => {
  it("answers its cold start after reading the secret and asking Slack which team it is in", () => {
    expectNothingAfterAck(rig.cold, ["auth.test", "auth.test"]);
    expect(rig.stack.secretsManager.asked.length).toBeGreaterThan(0);
    expect(rig.cold.handedOn).toHaveLength(1);
    expect(rig.stack.repliesTo("h1")).toContain("/aws-access");
  });

  it("answers a slash request with an empty ack and records it in the worker", async () => {
    const request = rig.slash("prod ReadOnly 1h handed on");
    const answered = await rig.answer(request);
    expectNothingAfterAck(answered);
    expect(answered.body).toBe("");
    expect(answered.handedOn).toEqual([expect.objectContaining({ text: "prod ReadOnly 1h handed on" })]);
    expect(await reasons()).not.toContain("handed on");

    expect(await rig.runWorker()).toBe(true);
    const grant = (await rig.stack.store.byRequester(dev.slackId, 50)).find((g) => g.reason === "handed on");
    expect(grant?.status).toBe("pending");
    expect(rig.stack.repliesTo(request.id)).toContain(grant?.id);
    const approval = rig.stack.slack.messagesIn("C0PRODADMIN");
    expect(approval.some((m) => JSON.stringify(m.blocks).includes(grant?.id ?? "-"))).toBe(true);
  });

  it("opens the request form from the Slack function once and ends a submission on the outcome view", async () => {
    const command = rig.slash("");
    const opened = await rig.answer(command);
    expectNothingAfterAck(opened, ["views.open"]);
    expect(await rig.runWorker()).toBe(true);
    const form = rig.viewOpenedBy(command.id);
    expect(form.view.callback_id).toBe(VIEWS.request);

    const payload = requestFormSubmission(form, {
      account: "prod",
      permissionSet: "ReadOnly",
      duration: "1h",
      reason: "form through Lambda",
    });
    const submitted = await rig.answer(signedViewSubmission(rig.stack.secret, payload));
    expectNothingAfterAck(submitted);
    expect(submitted.json).toMatchObject({ response_action: "update" });
    expect(submitted.handedOn).toHaveLength(1);
    rig.showAnswer(submitted, form.id);

    expect(await rig.runWorker()).toBe(true);
    const outcome = JSON.stringify(rig.stack.slack.views.get(form.id)?.view);
    expect(outcome).toContain("Request sent");
    expect(outcome).not.toContain("Sending");
    expect(await reasons()).toContain("form through Lambda");
  });

  it("points at a missing reason in the form and records the refusal in the worker", async () => {
    const startedAt = Date.now();
    const payload = viewSubmissionPayload({
      callbackId: VIEWS.request,
      userId: dev.slackId,
      values: { [REQUEST_FIELDS.reason.block]: { [REQUEST_FIELDS.reason.action]: textValue("") } },
    });
    const answered = await rig.answer(signedViewSubmission(rig.stack.secret, payload));
    expectNothingAfterAck(answered);
    expect(answered.json).toMatchObject({
      response_action: "errors",
      errors: { [REQUEST_FIELDS.reason.block]: expect.any(String) },
    });

    expect(await rig.runWorker()).toBe(true);
    const audit = await rig.stack.store.auditBetween({ from: startedAt, to: Date.now() });
    expect(audit.items.some(({ event }) => event.type === "refused" && event.actor === dev.slackId)).toBe(
      true,
    );
  });

  it("answers an options request itself from the config and hands nothing on", async () => {
    const answered = await rig.answer(accountOptions());
    expectNothingAfterAck(answered);
    expect(answered.json?.options).toEqual(
      expect.arrayContaining([expect.objectContaining({ value: expect.stringMatching(/^prod$/i) })]),
    );
    expect(answered.handedOn).toEqual([]);
  });

  it("refuses an options request from another Slack team itself, writing only the refusal", async () => {
    const answered = await rig.answer(accountOptions({ id: "T0ELSEWHERE", domain: "elsewhere" }));
    expect(answered.status).toBe(200);
    expect(answered.json).toEqual({ options: [] });
    expect(answered.dynamo).toEqual(["PutItem"]);
    expect(answered.identityCenter).toEqual([]);
    expect(answered.handedOn).toEqual([]);
  });

  it("acknowledges an Events API callback and hands it on without running a listener", async () => {
    const body = JSON.stringify({
      type: "event_callback",
      team_id: "T0SANDBOX",
      api_app_id: "A0ACCESS",
      event_id: "Ev0HOME",
      event_time: Math.floor(Date.now() / 1000),
      event: { type: "app_home_opened", user: dev.slackId, channel: "D0DEV", tab: "home", event_ts: "1.2" },
    });
    const signed = signBody(rig.stack.secret, body);
    const answered = await rig.answer({
      body,
      headers: { ...signed.headers, "content-type": "application/json" },
    });
    expectNothingAfterAck(answered);
    expect(answered.body).toBe("");
    expect(answered.handedOn).toEqual([expect.objectContaining({ type: "event_callback" })]);
    expect(await rig.runWorker()).toBe(true);
  });

  it("still answers when the worker cannot be invoked, and logs that nothing follows", async () => {
    const capture = captureLogs();
    try {
      rig.stack.lambdaApi.failNext = 2;
      const answered = await rig.answer(rig.slash("prod ReadOnly 1h lost on the way"));
      expectNothingAfterAck(answered);
      expect(answered.body).toBe("");
      expect(answered.handedOn).toEqual([]);
      expect(capture.lines.some((line) => line.includes("not handed to the worker"))).toBe(true);
    } finally {
      capture.restore();
      rig.stack.lambdaApi.failNext = 0;
    }
    expect(await rig.runWorker()).toBe(true);
    expect(await reasons()).not.toContain("lost on the way");
  });
});
