import { describe, expect, it } from "vitest";
import { VIEWS } from "../../src/adapters/slack/action-ids.js";
import type { Grant } from "../../src/domain/grant.js";
import { PEOPLE } from "../support/e2e.js";
import { ADMIN, READ_ONLY } from "../support/example-config.js";
import { requestFormSubmission } from "../support/handoff.js";
import { startedForFile } from "../support/hooks.js";
import { LambdaStack } from "../support/lambda.js";
import { signedSlashCommand, signedViewSubmission, slashCommandFields } from "../support/slack.js";

const { dev, admin } = PEOPLE;
const MINUTE = 60_000;

const stack = startedForFile(new LambdaStack());

async function newGrants(before: ReadonlySet<string>): Promise<Grant[]> {
  return (await stack.store.byRequester(dev.slackId, 50)).filter((g) => !before.has(g.id));
}

async function statuses(grants: readonly Grant[]) {
  return Promise.all(grants.map((g) => stack.statusOf(g.id)));
}

describe("requests of several parts and scheduled starts on Lambda", () => {
  it("makes one request of two parts from the form, ends on its outcome view, and grants and ends both", async () => {
    const before = new Set((await stack.store.byRequester(dev.slackId, 50)).map((g) => g.id));
    const fields = slashCommandFields({ user_id: dev.slackId, text: "", trigger_id: "trigger.parts" });
    await stack.send(signedSlashCommand(stack.secret, fields));
    await stack.runWorker();
    const form = [...stack.slack.views.values()].find((v) => v.triggerId === "trigger.parts");
    expect(form?.view.callback_id).toBe(VIEWS.request);
    if (!form) return;

    const payload = requestFormSubmission(form, {
      account: ["prod"],
      permissionSet: ["ReadOnly", "AdministratorAccess"],
      duration: "1h",
      reason: "INC-42 rollout from the form",
    });
    const submitted = await stack.send(signedViewSubmission(stack.secret, payload));
    const answer = JSON.parse(submitted.body) as { response_action: string; view: Record<string, unknown> };
    expect(answer.response_action).toBe("update");
    // As Slack does: the answer's view replaces the form when it arrives, before the worker runs.
    stack.slack.records.putView(answer.view, form.id);
    await stack.runWorker();

    const grants = await newGrants(before);
    expect(grants.map((g) => g.permissionSet.arn).sort()).toEqual([READ_ONLY, ADMIN].sort());
    const requestId = grants[0]?.requestId ?? "";
    const outcome = JSON.stringify(stack.slack.views.get(form.id)?.view);
    expect(outcome).toContain("Request sent");
    expect(outcome).toContain(`Request \`${requestId}\` for 2 parts`);
    expect(outcome).not.toContain("Sending");

    await stack.click(admin, "approve", grants[0]?.id ?? "");
    await stack.runWorker();
    expect(await statuses(grants)).toEqual(["active", "active"]);
    const message = stack.slack
      .messagesIn("C0PRODADMIN")
      .filter((m) => JSON.stringify(m).includes(requestId));
    expect(message).toHaveLength(1);

    const revoke = await stack.slash(dev, `revoke ${requestId}`);
    await stack.runWorker();
    expect(stack.repliesTo(revoke.responseId)).toContain(`Ending request \`${requestId}\``);
    expect(await statuses(grants)).toEqual(["ended", "ended"]);
    expect(stack.userAssignments(dev)).toEqual([]);
  });

  it("creates the assignment of a scheduled request from its one-time schedule at the start", async () => {
    const before = new Set((await stack.store.byRequester(dev.slackId, 50)).map((g) => g.id));
    await stack.slash(dev, "staging AdministratorAccess 1h in 30m scheduled on Lambda");
    await stack.runWorker();
    const [grant] = await newGrants(before);
    if (!grant) throw new Error("no grant was stored");
    expect(grant.startsAt).toBe(grant.createdAt + 30 * MINUTE);
    await stack.click(admin, "approve", grant.id);
    await stack.runWorker();
    expect(await stack.statusOf(grant.id)).toBe("provisioning");
    const creates = stack.callsOf("CreateAccountAssignment").length;
    expect(stack.scheduleOf(grant.id)).toBeDefined();

    stack.clock.advance((grant.startsAt ?? 0) - stack.clock.now() + 1_000);
    await expect(stack.fireSchedule(grant.id)).resolves.toMatchObject({ ok: true });
    await stack.runWorker();
    const active = await stack.store.get(grant.id);
    expect(active?.status).toBe("active");
    expect(active?.activatedAt).toBeGreaterThanOrEqual(grant.startsAt ?? 0);
    expect(active?.expiresAt).toBe((active?.activatedAt ?? 0) + 3600_000);
    expect(stack.callsOf("CreateAccountAssignment")).toHaveLength(creates + 1);
  });
});
