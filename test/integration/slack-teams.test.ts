import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ACTIONS, REQUEST_FIELDS, VIEWS } from "../../src/adapters/slack/action-ids.js";
import { createSlackClient } from "../../src/adapters/slack/client.js";
import { installationOf } from "../../src/adapters/slack/installation.js";
import { requestAccess } from "../../src/app/index.js";
import type { Grant } from "../../src/domain/grant.js";
import { type Harness, harness, PEOPLE, SLACK_TEAM } from "../support/app-harness.js";
import {
  blockActionPayload,
  deliver,
  SIGNING_SECRET,
  selected,
  signedBlockAction,
  signedSlashCommand,
  signedViewSubmission,
  slashCommandFields,
  textValue,
  viewSubmissionPayload,
} from "../support/slack.js";
import { type RunningSlackApp, startSlackApp } from "../support/slack-app.js";

/** A Slack Connect guest: another workspace's user whose profile email is an approver's. */
const GUEST = { slackId: "U0GUEST", team: "T0OTHER", email: PEOPLE.admin.email };
const GRID = "E0GRID";

describe("requests from other Slack teams", () => {
  let h: Harness;
  let app: RunningSlackApp;

  beforeEach(async () => {
    h = harness();
    h.chat.addUser(GUEST.slackId, GUEST.email);
  });

  afterEach(async () => {
    await app.stop();
  });

  async function pendingGrant(): Promise<Grant> {
    return requestAccess(h.deps, PEOPLE.dev.slackId, {
      account: "prod",
      permissionSet: "AdministratorAccess",
      reason: "INC-1",
    });
  }

  /** A button click as Slack sends it from a shared channel: `team` is ours, `user.team_id` the clicker's. */
  function click(grantId: string, user: { id: string; team_id?: string }, responseId = "click") {
    const payload = {
      ...blockActionPayload({
        actionId: ACTIONS.approve,
        value: grantId,
        responseUrl: app.slack.responseUrl(responseId),
      }),
      user: {
        id: user.id,
        username: "guest",
        name: "guest",
        ...(user.team_id ? { team_id: user.team_id } : {}),
      },
    };
    return signedBlockAction(SIGNING_SECRET, payload);
  }

  async function refusals() {
    return h.store.refusalsOn(new Date(h.clock.now()).toISOString().slice(0, 10));
  }

  function creations() {
    return h.identity.calls.filter((call) => call.op === "create");
  }

  it("refuses an approval clicked by another team's user with an approver's email, and audits it", async () => {
    app = await startSlackApp(h);
    const grant = await pendingGrant();
    const res = await deliver(app.events, click(grant.id, { id: GUEST.slackId, team_id: GUEST.team }));
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(app.slack.responsesTo("click")).toHaveLength(1));
    expect(app.slack.responsesTo("click")[0]).toMatchObject({
      response_type: "ephemeral",
      replace_original: false,
    });
    expect(String(app.slack.responsesTo("click")[0]?.text)).toContain("`T0OTHER`");
    expect((await h.store.get(grant.id))?.status).toBe("pending");
    expect((await h.store.get(grant.id))?.approvals).toEqual([]);
    expect(creations()).toEqual([]);
    await vi.waitFor(async () =>
      expect((await refusals()).map((e) => [e.actor, e.reason])).toContainEqual([
        GUEST.slackId,
        expect.stringContaining("Slack team T0OTHER"),
      ]),
    );
  });

  it("refuses a click that names no team for its user", async () => {
    app = await startSlackApp(h);
    const grant = await pendingGrant();
    await deliver(app.events, click(grant.id, { id: PEOPLE.admin.slackId }));
    await vi.waitFor(() => expect(app.slack.responsesTo("click")).toHaveLength(1));
    expect((await h.store.get(grant.id))?.status).toBe("pending");
    expect(creations()).toEqual([]);
  });

  it("refuses a slash command from another team before it runs, and audits it", async () => {
    app = await startSlackApp(h);
    const fields = slashCommandFields({
      team_id: GUEST.team,
      user_id: GUEST.slackId,
      text: "prod ReadOnly 1h INC-2",
    });
    const res = await deliver(app.events, signedSlashCommand(SIGNING_SECRET, fields));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringContaining("T0OTHER"),
    });
    expect(await h.store.byRequester(GUEST.slackId)).toEqual([]);
    expect((await refusals()).map((e) => e.actor)).toContain(GUEST.slackId);
  });

  it("refuses a form submitted by another team's user with a result view, and audits it", async () => {
    app = await startSlackApp(h);
    const submission = {
      ...viewSubmissionPayload({ callbackId: VIEWS.request, userId: GUEST.slackId, values: requestForm() }),
      user: { id: GUEST.slackId, username: "guest", name: "guest", team_id: GUEST.team },
    };
    const res = await deliver(app.events, signedViewSubmission(SIGNING_SECRET, submission));
    expect(JSON.parse(res.body)).toMatchObject({
      response_action: "update",
      view: { title: { text: "Not allowed" } },
    });
    expect(JSON.stringify(JSON.parse(res.body).view.blocks)).toContain("T0OTHER");
    expect(await h.store.byRequester(GUEST.slackId)).toEqual([]);
    expect((await refusals()).map((e) => e.actor)).toContain(GUEST.slackId);
  });

  it("accepts a click from another workspace of the Enterprise Grid organisation the app is installed in", async () => {
    app = await startSlackApp(h, { ...h.deps, installation: { teamId: SLACK_TEAM, enterpriseId: GRID } });
    const grant = await pendingGrant();
    // On Grid, Slack puts the organisation's id in user.team_id.
    await deliver(app.events, click(grant.id, { id: PEOPLE.admin.slackId, team_id: GRID }));
    await vi.waitFor(async () => expect((await h.store.get(grant.id))?.status).not.toBe("pending"));
    expect((await h.store.get(grant.id))?.approvals.map((a) => a.slackId)).toEqual([PEOPLE.admin.slackId]);
  });

  it("accepts a slash command from a sister workspace of the organisation and refuses one from another organisation", async () => {
    app = await startSlackApp(h, { ...h.deps, installation: { teamId: SLACK_TEAM, enterpriseId: GRID } });
    const sister = slashCommandFields({
      team_id: "T0SISTER",
      enterprise_id: GRID,
      user_id: PEOPLE.dev.slackId,
      text: "list",
      response_url: app.slack.responseUrl("sister"),
    });
    expect((await deliver(app.events, signedSlashCommand(SIGNING_SECRET, sister))).body).toBe("");
    await vi.waitFor(() =>
      expect(String(app.slack.responsesTo("sister")[0]?.text)).toContain("no pending or active grants"),
    );
    const other = slashCommandFields({
      team_id: "T0ELSE",
      enterprise_id: "E0ELSE",
      user_id: PEOPLE.dev.slackId,
      text: "list",
    });
    const otherRes = await deliver(app.events, signedSlashCommand(SIGNING_SECRET, other));
    expect(JSON.parse(otherRes.body).text).toContain("T0ELSE, E0ELSE");
  });

  it("refuses everything, and says why in the log, when started without its installation", async () => {
    const { installation: _installation, ...withoutInstallation } = h.deps;
    app = await startSlackApp(h, withoutInstallation);
    const grant = await pendingGrant();
    await deliver(app.events, click(grant.id, { id: PEOPLE.admin.slackId, team_id: SLACK_TEAM }));
    await vi.waitFor(() => expect(app.slack.responsesTo("click")).toHaveLength(1));
    expect((await h.store.get(grant.id))?.status).toBe("pending");
    expect(h.log.lines.filter((line) => line.level === "error").map((line) => line.msg)).toContainEqual(
      expect.stringContaining("every interaction is refused"),
    );
  });

  it("learns the installation's team from auth.test", async () => {
    app = await startSlackApp(h);
    const apiUrl = new URL("/api/", app.slack.responseUrl()).href;
    expect(await installationOf(createSlackClient("xoxb-test", apiUrl))).toEqual({ teamId: SLACK_TEAM });
  });
});

function requestForm() {
  return {
    [REQUEST_FIELDS.account.block]: { [REQUEST_FIELDS.account.action]: selected("prod") },
    [REQUEST_FIELDS.permissionSet.block]: { [REQUEST_FIELDS.permissionSet.action]: selected("ReadOnly") },
    [REQUEST_FIELDS.duration.block]: { [REQUEST_FIELDS.duration.action]: textValue("1h") },
    [REQUEST_FIELDS.reason.block]: { [REQUEST_FIELDS.reason.action]: textValue("INC-3") },
  };
}
