import { describe, expect, it } from "vitest";
import { DENY_FIELDS, VIEWS } from "../../src/adapters/slack/action-ids.js";
import { extendValue, extensionValue } from "../../src/adapters/slack/button-values.js";
import { PEOPLE } from "../support/e2e.js";
import { type Answered, expectNothingAfterAck, HandoffRig } from "../support/handoff.js";
import { startedForFile } from "../support/hooks.js";
import { signedViewSubmission, textValue, viewSubmissionPayload } from "../support/slack.js";

const { dev, admin } = PEOPLE;

const rig = startedForFile(new HandoffRig());

/** A click's answer: an empty ack, handed on, nothing else done (no Slack call but a form opened before ack). */
function expectClickAcked(answered: Answered, slackCalls: string[] = []): void {
  expectNothingAfterAck(answered, slackCalls);
  expect(answered.body).toBe("");
  expect(answered.handedOn).toHaveLength(1);
}

const grant = async (id: string) => rig.stack.store.get(id);

describe("the Slack function answers button clicks at ack; the worker runs the rest", () => {
  it("approves in the worker, which provisions the grant", async () => {
    const id = await rig.pendingGrant("approve me");
    const answered = await rig.answer(rig.click("approve", id));
    expectClickAcked(answered);
    expect(await rig.stack.statusOf(id)).toBe("pending");

    expect(await rig.runWorker()).toBe(true);
    expect(await rig.stack.statusOf(id)).toBe("active");
    expect(rig.stack.userAssignments(dev)).not.toEqual([]);
  });

  it("denies through the reason form: the form from the click, progress at submit, the outcome from the worker", async () => {
    const id = await rig.pendingGrant("deny me");
    const press = rig.click("deny", id);
    expectClickAcked(await rig.answer(press), ["views.open"]);
    expect(await rig.runWorker()).toBe(true);
    const form = rig.viewOpenedBy(press.id);
    expect(form.view.callback_id).toBe(VIEWS.denyReason);

    const payload = viewSubmissionPayload({
      callbackId: VIEWS.denyReason,
      viewId: form.id,
      privateMetadata: String(form.view.private_metadata ?? ""),
      userId: admin.slackId,
      values: { [DENY_FIELDS.reason.block]: { [DENY_FIELDS.reason.action]: textValue("not today") } },
    });
    const submitted = await rig.answer(signedViewSubmission(rig.stack.secret, payload));
    expectNothingAfterAck(submitted);
    expect(submitted.json).toMatchObject({ response_action: "update" });
    expect(await rig.stack.statusOf(id)).toBe("pending");
    rig.showAnswer(submitted, form.id);

    expect(await rig.runWorker()).toBe(true);
    expect(await rig.stack.statusOf(id)).toBe("denied");
    expect(JSON.stringify(rig.stack.slack.views.get(form.id)?.view)).toContain("Request denied");
  });

  it("revokes now from the requester's button in the worker", async () => {
    const id = await rig.activeGrant("revoke me now");
    const press = rig.click("revokeNow", id, dev);
    expectClickAcked(await rig.answer(press));
    expect(await rig.stack.statusOf(id)).toBe("active");

    expect(await rig.runWorker()).toBe(true);
    expect(await rig.stack.statusOf(id)).toBe("ended");
    expect(rig.stack.repliesTo(press.id)).toContain(id);
  });

  it("revokes from the approval message's Revoke button in the worker", async () => {
    const id = await rig.activeGrant("revoke me from the channel");
    expectClickAcked(await rig.answer(rig.click("revoke", id)));
    expect(await rig.stack.statusOf(id)).toBe("active");

    expect(await rig.runWorker()).toBe(true);
    expect(await rig.stack.statusOf(id)).toBe("ended");
  });

  it("asks for an extension, then approves one and denies the next, each in the worker", async () => {
    const id = await rig.activeGrant("extend me");
    const before = (await grant(id))?.expiresAt ?? 0;
    expectClickAcked(await rig.answer(rig.click("extend", extendValue(id, 1800), dev)));
    expect((await grant(id))?.extension).toBeUndefined();
    expect(await rig.runWorker()).toBe(true);
    const asked = (await grant(id))?.extension;
    expect(asked?.status).toBe("pending");

    expectClickAcked(await rig.answer(rig.click("approveExtension", extensionValue(id, asked?.id ?? ""))));
    expect((await grant(id))?.expiresAt).toBe(before);
    expect(await rig.runWorker()).toBe(true);
    expect((await grant(id))?.expiresAt).toBe(before + 1800_000);

    await rig.answer(rig.click("extend", extendValue(id, 1800), dev));
    await rig.runWorker();
    const next = (await grant(id))?.extension;
    expect(next?.status).toBe("pending");
    expectClickAcked(await rig.answer(rig.click("denyExtension", extensionValue(id, next?.id ?? ""))));
    expect(await rig.runWorker()).toBe(true);
    expect((await grant(id))?.extension?.status).toBe("denied");
    expect((await grant(id))?.expiresAt).toBe(before + 1800_000);
  });

  it("acknowledges a portal link click and changes nothing", async () => {
    expectClickAcked(await rig.answer(rig.click("portalLink", "https://acme.awsapps.com/start")));
    expect(await rig.runWorker()).toBe(true);
  });
});
