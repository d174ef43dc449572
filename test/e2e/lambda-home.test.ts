import { describe, expect, it } from "vitest";
import { signBody } from "../../src/sim/slack/requests.js";
import { PEOPLE, type Person } from "../support/e2e.js";
import { startedForFile } from "../support/hooks.js";
import { LambdaStack } from "../support/lambda.js";

const { dev, admin, lead } = PEOPLE;

const stack = startedForFile(new LambdaStack());

/** The Home tab Slack shows a person, as last published. */
function homeOf(who: Person): string {
  return JSON.stringify(stack.slack.records.homes.get(who.slackId)?.view ?? {});
}

/** An app_home_opened callback through the Function URL, as Slack's Events API sends it. */
async function openHome(who: Person) {
  const body = JSON.stringify({
    token: "legacy-verification-token",
    team_id: "T0SANDBOX",
    api_app_id: "A0ACCESS",
    type: "event_callback",
    event_id: `Ev${who.slackId}${Date.now()}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: "app_home_opened", user: who.slackId, channel: `D${who.slackId.slice(1)}`, tab: "home" },
  });
  const signed = signBody(stack.secret, body);
  return stack.send({ body, headers: { ...signed.headers, "content-type": "application/json" } });
}

describe("the Home tab on the Lambda functions", () => {
  it("publishes the Home tab the worker is handed when its owner opens it", async () => {
    const answer = await openHome(dev);
    expect(answer.status).toBe(200);
    expect(stack.slack.records.homes.has(dev.slackId)).toBe(false);
    await stack.runWorker();
    expect(homeOf(dev)).toContain("You have no open grants");
  });

  it("republishes the requester's and the approvers' tabs after each change, from the worker", async () => {
    const asked = await stack.slash(dev, "prod AdministratorAccess 1h INC-41 deploy");
    expect(asked.status).toBe(200);
    await stack.runWorker();
    const grant = (await stack.store.byRequester(dev.slackId, 10)).find((g) => g.status === "pending");
    if (!grant) throw new Error("no pending grant");
    expect(homeOf(lead)).toContain(`"value":"${grant.id}"`);
    expect(homeOf(lead)).toContain("grant_approve");
    expect(homeOf(dev)).toContain("Cancel request");

    await stack.click(admin, "approve", grant.id);
    await stack.runWorker();
    expect(await stack.statusOf(grant.id)).toBe("active");
    expect(homeOf(dev)).toContain("grant_revoke");
    expect(homeOf(dev)).toContain(`"value":"${grant.id}:3600"`);
    expect(homeOf(lead)).not.toContain("grant_approve");
    expect(homeOf(lead)).toContain("Active grants you may end");
  });
});
