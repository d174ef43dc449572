import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdentityCenterAdapter } from "../../src/adapters/identity-center/index.js";
import { MemoryGrantStore } from "../../src/adapters/memory/store.js";
import { ACTIONS, REQUEST_FIELDS, VIEWS } from "../../src/adapters/slack/action-ids.js";
import { type RunningBot, startBot } from "../../src/entrypoints/bot.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { PEOPLE } from "../support/app-harness.js";
import { e2eSeed, waitFor } from "../support/e2e.js";
import { exampleConfig } from "../support/example-config.js";
import { type RunningSimulator, recordingLogger, startSimulator } from "../support/ic.js";
import {
  blockActionPayload,
  selected,
  slashCommandFields,
  textValue,
  viewSubmissionPayload,
} from "../support/slack.js";
import { FakeSocketMode } from "../support/socket-mode.js";

const { dev, admin } = PEOPLE;

/** The bot started as `serve` starts it with SLACK_APP_TOKEN set: no HTTP events endpoint, only the socket. */
describe("Socket Mode", () => {
  const slack = new FakeSlack({
    users: Object.values(PEOPLE).map((p) => ({ id: p.slackId, email: p.email, tz: "Europe/Berlin" })),
  });
  const socket = new FakeSocketMode();
  const store = new MemoryGrantStore();
  const log = recordingLogger();
  const closers: Array<() => Promise<void>> = [];
  let ic: RunningSimulator;
  let bot: RunningBot;
  let grantId = "";

  beforeAll(async () => {
    const api = await slack.start();
    closers.push(() => api.close());
    slack.socketModeUrl = await socket.start();
    closers.push(() => socket.stop());
    ic = await startSimulator({ seed: e2eSeed() });
    closers.push(() => ic.close());
    const identity = new IdentityCenterAdapter({
      ssoAdmin: ic.ssoAdmin,
      identityStore: ic.identityStore,
      poll: { initialMs: 20, maxMs: 200 },
      retry: { baseMs: 20, maxMs: 200 },
      logger: log,
    });
    bot = await startBot({
      config: {
        ...exampleConfig(),
        identityCenter: { ...exampleConfig().identityCenter, ...e2eSeed().instance },
      },
      store,
      identity,
      log,
      clock: { now: () => Date.now() },
      slack: {
        signingSecret: "",
        botToken: "xoxb-socket",
        appToken: "xapp-1-socket",
        slackApiUrl: api.apiUrl,
        port: 0,
      },
    });
    closers.unshift(() => bot.stop());
    await socket.connection;
  }, 60_000);

  afterAll(async () => {
    for (const close of closers) await close();
  });

  it("opens the connection with the app token through apps.connections.open", () => {
    const opened = slack.callsTo("apps.connections.open");
    expect(opened).toHaveLength(1);
    expect(opened[0]?.answer).toBe("ok");
  });

  it("acknowledges a slash command envelope by its id and stores the request", async () => {
    const fields = slashCommandFields({
      user_id: dev.slackId,
      text: "prod ReadOnly 1h socket mode check",
      response_url: slack.responseUrl("cmd"),
    });
    const { envelopeId, ack } = await socket.deliver("slash_commands", fields, true);
    expect(ack).toEqual({ envelope_id: envelopeId, payload: {} });
    const grant = await waitFor(
      "the request to be stored",
      async () => (await store.byRequester(dev.slackId))[0],
    );
    expect(grant).toMatchObject({
      status: "pending",
      reason: "socket mode check",
      account: { alias: "prod" },
    });
    grantId = grant.id;
  });

  it("acknowledges a button click and refuses the requester's own approval", async () => {
    const click = blockActionPayload({
      actionId: ACTIONS.approve,
      value: grantId,
      userId: dev.slackId,
      responseUrl: slack.responseUrl("self"),
    });
    const { envelopeId, ack } = await socket.deliver("interactive", click, false);
    expect(ack).toEqual({ envelope_id: envelopeId, payload: {} });
    const refused = await waitFor("the refusal in the audit trail", async () =>
      (await store.auditOf(grantId)).find((e) => e.type === "refused" && e.actor === dev.slackId),
    );
    expect(refused.reason).toMatch(/approve refused/);
    expect((await store.get(grantId))?.status).toBe("pending");
    await waitFor("the refusal to reach the clicker", () => slack.responsesTo("self").length > 0);
  });

  it("acknowledges an approver's click and applies the approval", async () => {
    const click = blockActionPayload({ actionId: ACTIONS.approve, value: grantId, userId: admin.slackId });
    const { envelopeId, ack } = await socket.deliver("interactive", click, false);
    expect(ack).toEqual({ envelope_id: envelopeId, payload: {} });
    const approved = await waitFor("the approval to be applied", async () => {
      const grant = await store.get(grantId);
      return grant && grant.status !== "pending" ? grant : undefined;
    });
    expect(approved.approvals.map((a) => a.slackId)).toEqual([admin.slackId]);
    expect((await store.auditOf(grantId)).map((e) => e.type)).toContain("approved");
  });

  it("sends the listener's response payload back in the ack of a form submission", async () => {
    const submission = viewSubmissionPayload({
      callbackId: VIEWS.request,
      userId: dev.slackId,
      values: {
        [REQUEST_FIELDS.account.block]: { [REQUEST_FIELDS.account.action]: selected("prod") },
        [REQUEST_FIELDS.permissionSet.block]: { [REQUEST_FIELDS.permissionSet.action]: selected("ReadOnly") },
        [REQUEST_FIELDS.duration.block]: { [REQUEST_FIELDS.duration.action]: textValue("4x") },
        [REQUEST_FIELDS.reason.block]: { [REQUEST_FIELDS.reason.action]: textValue("") },
      },
    });
    const { envelopeId, ack } = await socket.deliver("interactive", submission, true);
    expect(ack.envelope_id).toBe(envelopeId);
    expect(ack.payload).toMatchObject({
      response_action: "errors",
      errors: {
        [REQUEST_FIELDS.duration.block]: expect.stringContaining("'4x' is not a duration"),
        [REQUEST_FIELDS.reason.block]: expect.any(String),
      },
    });
    const ids = socket.acks.map((a) => a.envelope_id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
  });
});
