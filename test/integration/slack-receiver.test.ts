import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ACTIONS, DENY_FIELDS, REQUEST_FIELDS, VIEWS } from "../../src/adapters/slack/action-ids.js";
import { requestAccess } from "../../src/app/index.js";
import type { Grant } from "../../src/domain/grant.js";
import type { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { type Harness, harness, PEOPLE } from "../support/app-harness.js";
import {
  blockActionPayload,
  deliver,
  SIGNING_SECRET,
  selected,
  signedBlockAction,
  signedSlashCommand,
  signedViewSubmission,
  slackTimestamp,
  slashCommandFields,
  textValue,
  viewSubmissionPayload,
} from "../support/slack.js";
import { type RunningSlackApp, startSlackApp } from "../support/slack-app.js";

describe("Slack app over the Bolt HTTP receiver", () => {
  let h: Harness;
  let app: RunningSlackApp;
  let slack: FakeSlack;
  let base: string;

  beforeEach(async () => {
    h = harness();
    app = await startSlackApp(h);
    slack = app.slack;
    base = new URL(app.events).origin;
  });

  afterEach(() => app.stop());

  const events = () => app.events;

  async function pendingGrant(requester: string = PEOPLE.dev.slackId): Promise<Grant> {
    const grant = await requestAccess(h.deps, requester, {
      account: "prod",
      permissionSet: "AdministratorAccess",
      reason: "INC-1",
    });
    expect(grant.status).toBe("pending");
    return grant;
  }

  /** Types `/aws-access <text>` as dev; replies go to the response_url `responseId`. */
  function slash(text: string, responseId: string) {
    const fields = slashCommandFields({
      user_id: PEOPLE.dev.slackId,
      text,
      response_url: slack.responseUrl(responseId),
    });
    return deliver(events(), signedSlashCommand(SIGNING_SECRET, fields));
  }

  /** Submits the deny-reason form of a grant as admin (from the view `viewId`, when the test opened one). */
  function submitDenyReason(grantId: string, reason: string, viewId?: string) {
    const submission = viewSubmissionPayload({
      callbackId: VIEWS.denyReason,
      privateMetadata: grantId,
      userId: PEOPLE.admin.slackId,
      ...(viewId === undefined ? {} : { viewId }),
      values: { [DENY_FIELDS.reason.block]: { [DENY_FIELDS.reason.action]: textValue(reason) } },
    });
    return deliver(events(), signedViewSubmission(SIGNING_SECRET, submission));
  }

  /** Submits the request form as dev: ReadOnly in prod for `duration`, because of `reason`. */
  function submitRequestForm(duration: string, reason: string) {
    const submission = viewSubmissionPayload({
      callbackId: VIEWS.request,
      userId: PEOPLE.dev.slackId,
      values: formValues(duration, reason),
    });
    return deliver(events(), signedViewSubmission(SIGNING_SECRET, submission));
  }

  /** A click on a grant's button by `userId`; replies go to the response_url `responseId`. */
  function clickPayload(actionId: string, grantId: string, userId: string, responseId = "click") {
    return blockActionPayload({
      actionId,
      value: grantId,
      userId,
      responseUrl: slack.responseUrl(responseId),
    });
  }

  function click(actionId: string, grantId: string, userId: string, responseId = "click") {
    return signedBlockAction(SIGNING_SECRET, clickPayload(actionId, grantId, userId, responseId));
  }

  it("answers /healthz with 200 ok", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
  });

  it("acknowledges a signed slash command and answers through response_url", async () => {
    const res = await slash("list", "cmd");
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(slack.responsesTo("cmd")).toHaveLength(1));
    expect(slack.responsesTo("cmd")[0]).toMatchObject({ response_type: "ephemeral" });
    expect(String(slack.responsesTo("cmd")[0]?.text)).toContain("no pending or active grants");
  });

  it("acknowledges the command before the use case has finished its lookups", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const lookup = h.deps.identity.userIdByEmail.bind(h.deps.identity);
    h.deps.identity.userIdByEmail = async (email) => {
      await gate;
      return lookup(email);
    };
    const res = await slash("help", "help");
    expect(res.status).toBe(200);
    expect(slack.responsesTo("help")).toHaveLength(0);
    release();
    await vi.waitFor(() => expect(slack.responsesTo("help")).toHaveLength(1));
    expect(String(slack.responsesTo("help")[0]?.text)).toContain("You may ask for");
  });

  it("opens the request form for a bare command", async () => {
    const fields = slashCommandFields({ user_id: PEOPLE.dev.slackId, text: "prod", trigger_id: "trigger-1" });
    expect((await deliver(events(), signedSlashCommand(SIGNING_SECRET, fields))).status).toBe(200);
    await vi.waitFor(() => expect(slack.callsTo("views.update")).toHaveLength(1));
    const open = slack.callsTo("views.open")[0];
    expect(open?.args.trigger_id).toBe("trigger-1");
    expect(open?.args.view).toMatchObject({ callback_id: VIEWS.loading });
    expect(slack.callsTo("views.update")[0]?.args.view).toMatchObject({ callback_id: VIEWS.request });
  });

  it("runs an approval clicked by an approver", async () => {
    const grant = await pendingGrant();
    const res = await deliver(events(), click(ACTIONS.approve, grant.id, PEOPLE.admin.slackId));
    expect(res.status).toBe(200);
    await vi.waitFor(async () => expect((await h.store.get(grant.id))?.status).not.toBe("pending"));
    expect((await h.store.get(grant.id))?.approvals.map((a) => a.slackId)).toEqual([PEOPLE.admin.slackId]);
    expect(slack.responsesTo("click")).toEqual([]);
  });

  it("answers a second click on a decided request with an explanation and changes nothing", async () => {
    const grant = await pendingGrant();
    await deliver(events(), click(ACTIONS.approve, grant.id, PEOPLE.admin.slackId, "first"));
    await vi.waitFor(async () => expect((await h.store.get(grant.id))?.status).not.toBe("pending"));
    const before = await h.store.get(grant.id);
    await deliver(events(), click(ACTIONS.approve, grant.id, PEOPLE.admin2.slackId, "second"));
    await vi.waitFor(() => expect(slack.responsesTo("second")).toHaveLength(1));
    expect(slack.responsesTo("second")[0]).toMatchObject({
      response_type: "ephemeral",
      replace_original: false,
    });
    expect((await h.store.get(grant.id))?.approvals).toEqual(before?.approvals);
  });

  it("ends an active grant from the requester's Revoke now button", async () => {
    const grant = await pendingGrant();
    await deliver(events(), click(ACTIONS.approve, grant.id, PEOPLE.admin.slackId));
    await vi.waitFor(async () => expect((await h.store.get(grant.id))?.status).toBe("active"));
    await deliver(events(), click(ACTIONS.revokeNow, grant.id, PEOPLE.dev.slackId, "revoke"));
    await vi.waitFor(async () => expect((await h.store.get(grant.id))?.status).toBe("ended"));
    await vi.waitFor(() => expect(slack.responsesTo("revoke")).toHaveLength(1));
    expect(String(slack.responsesTo("revoke")[0]?.text)).toContain(`\`${grant.id}\``);
  });

  it("rejects a forged signature with 401 and changes nothing", async () => {
    const grant = await pendingGrant();
    const payload = clickPayload(ACTIONS.approve, grant.id, PEOPLE.admin.slackId, "x");
    const res = await deliver(events(), signedBlockAction("not-the-secret", payload));
    expect(res.status).toBe(401);
    expect((await h.store.get(grant.id))?.status).toBe("pending");
    expect((await h.store.get(grant.id))?.approvals).toEqual([]);
  });

  it("rejects a stale request with 401 and changes nothing", async () => {
    const grant = await pendingGrant();
    const payload = clickPayload(ACTIONS.approve, grant.id, PEOPLE.admin.slackId, "x");
    const res = await deliver(
      events(),
      signedBlockAction(SIGNING_SECRET, payload, { timestamp: slackTimestamp(-10 * 60) }),
    );
    expect(res.status).toBe(401);
    expect((await h.store.get(grant.id))?.status).toBe("pending");
  });

  it.each([
    ["an approver approving their own request", PEOPLE.admin.slackId, PEOPLE.admin.slackId],
    ["someone who is not an approver", PEOPLE.dev.slackId, PEOPLE.outsider.slackId],
  ])("tells %s why not, only them, and changes nothing", async (_who, requester, clicker) => {
    const grant = await pendingGrant(requester);
    await deliver(events(), click(ACTIONS.approve, grant.id, clicker, "refused"));
    await vi.waitFor(() => expect(slack.responsesTo("refused")).toHaveLength(1));
    const [reply] = slack.responsesTo("refused");
    expect(reply).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(reply?.text)).toContain(`\`${grant.id}\``);
    expect((await h.store.get(grant.id))?.status).toBe("pending");
    expect((await h.store.get(grant.id))?.approvals).toEqual([]);
  });

  it("asks for a reason on Deny and denies on submit", async () => {
    const grant = await pendingGrant();
    await deliver(events(), click(ACTIONS.deny, grant.id, PEOPLE.admin.slackId));
    await vi.waitFor(() => expect(slack.callsTo("views.open")).toHaveLength(1));
    const opened = slack.callsTo("views.open")[0]?.args.view as { private_metadata: string };
    expect(opened.private_metadata).toBe(grant.id);
    const viewId = String((slack.views.keys().next().value as string | undefined) ?? "");
    const res = await submitDenyReason(grant.id, "use staging", viewId);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ response_action: "update" });
    await vi.waitFor(async () => expect((await h.store.get(grant.id))?.status).toBe("denied"));
    expect((await h.store.get(grant.id))?.outcomeReason).toBe("use staging");
    await vi.waitFor(() => expect(slack.callsTo("views.update")).toHaveLength(1));
  });

  it("points at a deny reason over 500 characters in the form, records the refusal and denies nothing", async () => {
    const grant = await pendingGrant();
    const res = await submitDenyReason(grant.id, "&".repeat(501));
    expect(JSON.parse(res.body)).toEqual({
      response_action: "errors",
      errors: { [DENY_FIELDS.reason.block]: "The reason is 501 characters; at most 500." },
    });
    expect((await h.store.get(grant.id))?.status).toBe("pending");
    const day = new Date(h.clock.now()).toISOString().slice(0, 10);
    expect((await h.store.refusalsOn(day)).map((e) => e.actor)).toContain(PEOPLE.admin.slackId);
  });

  it("creates a request from the form", async () => {
    const res = await submitRequestForm("2h", "INC-7");
    expect(JSON.parse(res.body)).toMatchObject({ response_action: "update" });
    await vi.waitFor(async () => expect(await h.store.byRequester(PEOPLE.dev.slackId)).toHaveLength(1));
    const [grant] = await h.store.byRequester(PEOPLE.dev.slackId);
    expect(grant).toMatchObject({
      durationSeconds: 7200,
      reason: "INC-7",
      permissionSet: { name: "ReadOnly" },
    });
  });

  it("points at a bad duration in the form, records the refusal and creates nothing", async () => {
    const res = await submitRequestForm("4x", "INC-7");
    expect(JSON.parse(res.body)).toMatchObject({
      response_action: "errors",
      errors: { [REQUEST_FIELDS.duration.block]: expect.stringContaining("4x") },
    });
    expect(await h.store.byRequester(PEOPLE.dev.slackId)).toEqual([]);
    const day = new Date(h.clock.now()).toISOString().slice(0, 10);
    await vi.waitFor(async () =>
      expect((await h.store.refusalsOn(day)).map((e) => e.actor)).toContain(PEOPLE.dev.slackId),
    );
  });
});

function formValues(duration: string, reason: string) {
  return {
    [REQUEST_FIELDS.account.block]: { [REQUEST_FIELDS.account.action]: selected("prod") },
    [REQUEST_FIELDS.permissionSet.block]: { [REQUEST_FIELDS.permissionSet.action]: selected("ReadOnly") },
    [REQUEST_FIELDS.duration.block]: { [REQUEST_FIELDS.duration.action]: textValue(duration) },
    [REQUEST_FIELDS.reason.block]: { [REQUEST_FIELDS.reason.action]: textValue(reason) },
  };
}
