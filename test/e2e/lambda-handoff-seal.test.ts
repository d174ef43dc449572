import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/adapters/slack/action-ids.js";
import { handoffKey, type SlackHandoff, sealHandoff } from "../../src/entrypoints/lambda/handoff-seal.js";
import * as workerFunction from "../../src/entrypoints/lambda/worker.js";
import { PEOPLE, type Person } from "../support/e2e.js";
import { HandoffRig } from "../support/handoff.js";
import { startedForFile } from "../support/hooks.js";
import { captureLogs } from "../support/log-capture.js";
import { blockActionPayload } from "../support/slack.js";

const { admin, outsider } = PEOPLE;
const MINUTE = 60_000;

const rig = startedForFile(new HandoffRig());

/** An Approve click's body as Slack would send it, never through the Slack function. */
function approveBody(grantId: string, who: Person): Record<string, unknown> {
  const responseUrl = rig.stack.slack.responseUrl("forged");
  return blockActionPayload({ actionId: ACTIONS.approve, value: grantId, userId: who.slackId, responseUrl });
}

let invocations = 0;

/** Lambda's context object for one invocation of the worker. */
function lambdaContext(awsRequestId: string) {
  return {
    awsRequestId,
    functionName: "AwsAccess-worker",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:AwsAccess-worker",
    memoryLimitInMB: "512",
    getRemainingTimeInMillis: () => 60_000,
  };
}

/** Invokes the exported worker as anyone allowed lambda:InvokeFunction could; what it logged and did meanwhile. */
async function invoke(event: unknown) {
  const capture = captureLogs();
  const ops = rig.proxy.seen.length;
  const calls = rig.stack.slack.calls.length;
  const requestId = `request-${++invocations}`;
  try {
    const result = await workerFunction.handler(
      event as workerFunction.WorkerEvent,
      lambdaContext(requestId),
    );
    return {
      result,
      requestId,
      lines: capture.lines,
      logged: capture.logged(),
      dynamo: rig.proxy.seen.slice(ops),
      slackCalls: rig.stack.slack.calls.slice(calls),
    };
  } finally {
    capture.restore();
  }
}

async function expectUnchanged(grantId: string): Promise<void> {
  const grant = await rig.stack.store.get(grantId);
  expect(grant?.status).toBe("pending");
  expect(grant?.approvals).toEqual([]);
  expect((await rig.stack.store.auditOf(grantId)).map((e) => e.type)).not.toContain("approved");
}

const sealedNow = (handoff: SlackHandoff, at = Date.now()) =>
  sealHandoff(handoffKey(rig.stack.secret), handoff, at);

describe("the worker runs only hand-offs the Slack function sealed", () => {
  it("refuses a forged approval naming an approver, changes nothing and logs why with the request id, without the body", async () => {
    const id = await rig.pendingGrant("forged approval");
    const run = await invoke({ slack: { body: approveBody(id, admin) } });
    expect(run.result).toEqual({ ok: false });
    await expectUnchanged(id);
    expect(run.dynamo).toEqual([]);
    expect(run.slackCalls).toEqual([]);
    const refusal = run.logged.find((line) => line.message === "worker: slack hand-off refused");
    expect(refusal).toMatchObject({ level: "ERROR", reason: "unsigned", function_request_id: run.requestId });
    const all = run.lines.join("\n");
    for (const text of [id, admin.slackId, "forged", "legacy-verification-token"])
      expect(all).not.toContain(text);
  });

  it.each([
    ["the Slack signing secret itself", () => Buffer.from(rig.stack.secret)],
    ["a key derived from a guessed secret", () => handoffKey("guessed-secret")],
  ])("refuses an approval sealed with %s", async (_, key) => {
    const id = await rig.pendingGrant("guessed key");
    const forged = sealHandoff(key(), { body: approveBody(id, admin) }, Date.now());
    const run = await invoke({ slack: forged });
    expect(run.result).toEqual({ ok: false });
    expect(run.logged.find((line) => line.message === "worker: slack hand-off refused")?.reason).toBe(
      "bad signature",
    );
    await expectUnchanged(id);
  });

  it("refuses a genuine hand-off whose clicker was changed on the way, and runs the genuine one", async () => {
    const id = await rig.pendingGrant("changed clicker");
    const answered = await rig.answer(rig.click("approve", id, outsider));
    expect(answered.handedOn).toHaveLength(1);
    const genuine = rig.stack.lambdaApi.invocations.at(-1)?.payload as { slack: Record<string, unknown> };
    const body = genuine.slack.body as { user: Record<string, unknown> };
    const changed = { ...genuine.slack, body: { ...body, user: { ...body.user, id: admin.slackId } } };
    const run = await invoke({ slack: changed });
    expect(run.result).toEqual({ ok: false });
    await expectUnchanged(id);

    expect(await rig.runWorker()).toBe(true);
    await expectUnchanged(id);
    const refused = (await rig.stack.store.auditOf(id)).filter((e) => e.type === "refused");
    expect(refused.map((e) => e.actor)).toEqual([outsider.slackId]);
  });

  it("refuses a hand-off sealed more than 30 minutes ago (as long as Slack's response_url lives)", async () => {
    const id = await rig.pendingGrant("replayed later");
    const run = await invoke({
      slack: sealedNow({ body: approveBody(id, admin) }, Date.now() - 31 * MINUTE),
    });
    expect(run.result).toEqual({ ok: false });
    expect(run.logged.find((line) => line.message === "worker: slack hand-off refused")?.reason).toMatch(
      /^stale/,
    );
    await expectUnchanged(id);
  });

  it("runs a hand-off sealed with the key the Slack function derives from its secret", async () => {
    const id = await rig.pendingGrant("sealed approval");
    const run = await invoke({ slack: sealedNow({ body: approveBody(id, admin) }) });
    expect(run.result).toEqual({ ok: true });
    expect(await rig.runWorker()).toBe(true);
    expect(await rig.stack.statusOf(id)).toBe("active");
  });
});
