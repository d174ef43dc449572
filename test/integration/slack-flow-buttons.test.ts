import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ACTIONS } from "../../src/adapters/slack/action-ids.js";
import { decideGrant, requestAccess } from "../../src/app/index.js";
import { signBody } from "../../src/sim/slack/requests.js";
import { aRule, type Harness, harness, PEOPLE, SLACK_TEAM } from "../support/app-harness.js";
import { exampleConfig } from "../support/example-config.js";
import { blockActionPayload, deliver, SIGNING_SECRET, signedBlockAction } from "../support/slack.js";
import { type RunningSlackApp, startSlackApp } from "../support/slack-app.js";

const { dev, admin, admin2, outsider } = PEOPLE;

/** The example config with prod-admin needing two distinct approvers. */
function twoApprovers(): Harness {
  const base = exampleConfig();
  const rules = base.rules.map((r) => (r.name === "prod-admin" ? aRule({ approvalsRequired: 2 }) : r));
  return harness({ ...base, rules });
}

/** An app_home_opened event as Slack sends it to the Events API, signed. */
function homeOpened(user: string, team = SLACK_TEAM) {
  const body = JSON.stringify({
    token: "legacy-verification-token",
    team_id: team,
    api_app_id: "A0ACCESS",
    type: "event_callback",
    event_id: `Ev${user}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: "app_home_opened", user, channel: `D${user.slice(1)}`, tab: "home", event_ts: "1.2" },
  });
  const signed = signBody(SIGNING_SECRET, body);
  return { body, headers: { ...signed.headers, "content-type": "application/json" } };
}

describe("buttons where people are, over the Bolt HTTP receiver", () => {
  let h: Harness;
  let app: RunningSlackApp;

  beforeEach(async () => {
    h = twoApprovers();
    app = await startSlackApp(h);
  });
  afterEach(async () => {
    await app.stop();
  });

  function click(actionId: string, value: string, userId: string, responseId: string, fromHome = false) {
    const payload = blockActionPayload({
      actionId,
      value,
      userId,
      responseUrl: app.slack.responseUrl(responseId),
    });
    if (fromHome) {
      // The Home tab has no response_url: Slack names the view instead.
      delete payload.response_url;
      delete payload.channel;
      delete payload.message;
      payload.container = { type: "view", view_id: "V0HOME" };
      payload.view = { id: "V0HOME", type: "home", team_id: SLACK_TEAM, blocks: [], state: { values: {} } };
    }
    return deliver(app.events, signedBlockAction(SIGNING_SECRET, payload));
  }

  async function activeGrant() {
    const grant = await requestAccess(h.deps, dev.slackId, {
      account: "prod",
      permissionSet: "AdministratorAccess",
      durationSeconds: 3600,
      reason: "INC-11",
    });
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    await decideGrant(h.deps, admin2.slackId, grant.id, { kind: "approve" });
    expect((await h.store.get(grant.id))?.status).toBe("active");
    return grant.id;
  }

  it("tells an outsider's Revoke why not, and ends the grant on an approver's", async () => {
    const id = await activeGrant();
    expect((await click(ACTIONS.revoke, id, outsider.slackId, "outsider")).status).toBe(200);
    await vi.waitFor(() => expect(app.slack.responsesTo("outsider")).toHaveLength(1));
    expect(app.slack.responsesTo("outsider")[0]).toMatchObject({
      response_type: "ephemeral",
      replace_original: false,
    });
    expect(String(app.slack.responsesTo("outsider")[0]?.text)).toContain(`You cannot revoke \`${id}\``);
    expect((await h.store.get(id))?.status).toBe("active");
    await click(ACTIONS.revoke, id, admin2.slackId, "approver");
    await vi.waitFor(async () => expect((await h.store.get(id))?.status).toBe("ended"));
    await vi.waitFor(() => expect(app.slack.responsesTo("approver")).toHaveLength(1));
    expect(String(app.slack.responsesTo("approver")[0]?.text)).toContain(`Ending \`${id}\``);
  });

  it("asks the approvers from the requester's Extend, and extends on the second Approve", async () => {
    const id = await activeGrant();
    const before = (await h.store.get(id))?.expiresAt ?? 0;
    await click(ACTIONS.extend, `${id}:1800`, dev.slackId, "extend");
    await vi.waitFor(() => expect(app.slack.responsesTo("extend")).toHaveLength(1));
    expect(String(app.slack.responsesTo("extend")[0]?.text)).toContain("Asked the approvers");
    const extension = (await h.store.get(id))?.extension;
    expect(extension?.status).toBe("pending");
    const value = `${id}:${extension?.id}`;
    await click(ACTIONS.approveExtension, value, admin.slackId, "first");
    await vi.waitFor(() => expect(app.slack.responsesTo("first")).toHaveLength(1));
    expect((await h.store.get(id))?.expiresAt).toBe(before);
    await click(ACTIONS.approveExtension, value, admin2.slackId, "second");
    await vi.waitFor(async () => expect((await h.store.get(id))?.expiresAt).toBe(before + 1800_000));
    await click(ACTIONS.denyExtension, value, admin.slackId, "late");
    await vi.waitFor(() => expect(app.slack.responsesTo("late")).toHaveLength(1));
    expect(String(app.slack.responsesTo("late")[0]?.text)).toContain("No extension of");
  });

  it("refuses and audits an Extend button whose value was tampered with", async () => {
    await click(ACTIONS.extend, "<!channel>:99", dev.slackId, "tampered");
    await vi.waitFor(() => expect(app.slack.responsesTo("tampered")).toHaveLength(1));
    expect(String(app.slack.responsesTo("tampered")[0]?.text)).toContain("names no grant and duration");
    const trail = await h.store.auditBetween({ from: 0, to: Number.MAX_SAFE_INTEGER });
    expect(trail.items.some((e) => e.event.reason?.startsWith("extend refused"))).toBe(true);
  });

  it("publishes the Home tab when its owner opens it, only for the installed team", async () => {
    const id = await activeGrant();
    h.chat.homes.length = 0;
    const opened = homeOpened(dev.slackId);
    const res = await fetch(app.events, { method: "POST", headers: opened.headers, body: opened.body });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(h.chat.homeOf(dev.slackId)?.mine.map((g) => g.id)).toEqual([id]));
    const foreign = homeOpened(outsider.slackId, "T0ELSEWHERE");
    await fetch(app.events, { method: "POST", headers: foreign.headers, body: foreign.body });
    await vi.waitFor(() =>
      expect(h.log.lines.some((l) => l.msg.includes("another team dropped"))).toBe(true),
    );
    expect(h.chat.homeOf(outsider.slackId)).toBeUndefined();
  });

  it("answers a refused click on the Home tab on the tab itself", async () => {
    const id = await activeGrant();
    await click(ACTIONS.revoke, id, outsider.slackId, "nowhere", true);
    await vi.waitFor(() => expect(h.chat.homeOf(outsider.slackId)?.notice).toContain("You cannot revoke"));
    expect((await h.store.get(id))?.status).toBe("active");
  });
});
