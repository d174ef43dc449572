import { describe, expect, it } from "vitest";
import { atExpression, scheduleName } from "../../src/adapters/scheduler/eventbridge.js";
import * as revoker from "../../src/entrypoints/lambda/revoker.js";
import * as slackFunction from "../../src/entrypoints/lambda/slack.js";
import * as worker from "../../src/entrypoints/lambda/worker.js";
import { failingReadOnly, PEOPLE, type Person, readOnlyAssignment } from "../support/e2e.js";
import { ADMIN, PROD, READ_ONLY } from "../support/example-config.js";
import { startedForFile } from "../support/hooks.js";
import { functionUrlEvent, LambdaStack, SCHEDULE_GROUP } from "../support/lambda.js";
import { signedSlashCommand, slashCommandFields } from "../support/slack.js";

const { dev, admin, admin2, lead, outsider } = PEOPLE;
const HOUR = 3600_000;
const MINUTE = 60_000;

const stack = startedForFile(new LambdaStack());

/** Requests through the Slack function and returns the new grant id. */
async function request(text: string, who: Person = dev, options: { base64?: boolean } = {}) {
  const before = new Set((await stack.store.byRequester(who.slackId, 50)).map((g) => g.id));
  const answer = await stack.slash(who, text, options);
  expect(answer.status).toBe(200);
  const grant = (await stack.store.byRequester(who.slackId, 50)).find((g) => !before.has(g.id));
  if (!grant) throw new Error(`no grant stored for "${text}": ${stack.repliesTo(answer.responseId)}`);
  return grant.id;
}

/** Requests, approves as admin and lets the worker provision; returns the active grant. */
async function activeGrant(text: string, who: Person = dev) {
  const id = await request(text, who);
  await stack.click(admin, "approve", id);
  await stack.runWorker();
  const grant = await stack.store.get(id);
  expect(grant?.status).toBe("active");
  if (!grant) throw new Error("unreachable");
  return grant;
}

/** Moves the functions' clock to just past the grant's expiry. */
async function passExpiry(grantId: string): Promise<void> {
  const grant = await stack.store.get(grantId);
  stack.clock.advance((grant?.expiresAt ?? 0) - stack.clock.now() + 1_000);
}

describe("the Lambda functions end to end", () => {
  it("requests, acknowledges the approval, provisions in the worker and revokes from the schedule", async () => {
    const id = await request("prod AdministratorAccess 2h fixing INC-123");
    // The Slack function only acknowledged; the worker recorded the request and posted it (lambda-handoff.test.ts).
    await stack.runWorker();
    const posted = stack.slack.messagesIn("C0PRODADMIN").find((m) => JSON.stringify(m.blocks).includes(id));
    expect(JSON.stringify(posted?.blocks)).toContain("grant_approve");
    expect(stack.scheduleOf(id)).toBeDefined();

    const approval = await stack.click(admin, "approve", id);
    expect(approval.status).toBe(200);
    expect(await stack.statusOf(id)).toBe("provisioning");
    expect(stack.handedToWorker).toContain(id);
    expect(stack.callsOf("CreateAccountAssignment", approval)).toEqual([]);

    expect((await stack.runWorker()).every((result) => result.ok)).toBe(true);
    const grant = await stack.store.get(id);
    expect(grant?.status).toBe("active");
    expect(grant?.expiresAt).toBe((grant?.activatedAt ?? 0) + 2 * HOUR);
    const creations = stack.callsOf("CreateAccountAssignment");
    expect(creations).toHaveLength(1);
    expect(creations[0]?.at).toBeGreaterThanOrEqual(approval.endedAt);
    expect(stack.userAssignments(dev)).toContainEqual(
      expect.objectContaining({ accountId: PROD, permissionSetArn: ADMIN }),
    );
    expect(stack.dmsWith(id)[0]?.text).toContain("You have *AdministratorAccess*");

    // Woken a minute before the reminder falls due, under a name of its own.
    const reminderAt = (grant?.expiresAt ?? 0) - 10 * MINUTE;
    expect(stack.scheduleOf(id)).toMatchObject({
      GroupName: SCHEDULE_GROUP,
      ScheduleExpression: atExpression(reminderAt - MINUTE),
      FlexibleTimeWindow: { Mode: "OFF" },
      ActionAfterCompletion: "DELETE",
      Target: { Input: JSON.stringify({ grantId: id, at: reminderAt }) },
    });
    expect(stack.scheduleNamesOf(id)).toEqual([scheduleName(id, reminderAt)]);

    stack.clock.advance(reminderAt - stack.clock.now() + 1_000);
    await expect(stack.fireSchedule(id)).resolves.toMatchObject({ ok: true, held: true });
    expect(await stack.statusOf(id)).toBe("active");
    expect(stack.scheduleNamesOf(id)).toEqual([scheduleName(id, grant?.expiresAt ?? 0)]);

    await passExpiry(id);
    await expect(stack.fireSchedule(id)).resolves.toMatchObject({ ok: true, held: true });
    expect(await stack.statusOf(id)).toBe("ended");
    expect(stack.userAssignments(dev).filter((a) => a.permissionSetArn === ADMIN)).toEqual([]);
    expect(stack.callsOf("DeleteAccountAssignment")).toHaveLength(1);
    expect(stack.scheduleOf(id)).toBeUndefined();
  });

  it("takes a base64-encoded Function URL body and keeps non-ASCII text intact", async () => {
    const id = await request("prod ReadOnly 1h prüfen ünïcode — INC-7", dev, { base64: true });
    expect((await stack.store.get(id))?.reason).toBe("prüfen ünïcode — INC-7");
  });

  it("refuses a forged signature with 401 and stores nothing", async () => {
    const grants = (await stack.store.byRequester(dev.slackId, 50)).length;
    const posts = stack.slack.callsTo("chat.postMessage").length;
    const fields = slashCommandFields({ user_id: dev.slackId, text: "prod AdministratorAccess 4h forged" });
    const answer = await stack.send(signedSlashCommand("not-the-signing-secret", fields));
    expect(answer.status).toBe(401);
    expect((await stack.store.byRequester(dev.slackId, 50)).length).toBe(grants);
    expect(stack.slack.callsTo("chat.postMessage").length).toBe(posts);
  });

  it("refuses self-approval and hands nothing to the worker", async () => {
    const id = await request("prod AdministratorAccess 1h my own", admin);
    const click = await stack.click(admin, "approve", id);
    expect(stack.repliesTo(click.responseId)).toMatch(/cannot approve/);
    expect(await stack.statusOf(id)).toBe("pending");
    expect(stack.handedToWorker).not.toContain(id);
  });

  it("refuses an approver who is not in the rule", async () => {
    const id = await request("prod AdministratorAccess 1h outsider test");
    const click = await stack.click(outsider, "approve", id);
    expect(stack.repliesTo(click.responseId)).toMatch(/cannot approve/);
    expect((await stack.store.get(id))?.approvals).toEqual([]);
    expect(stack.handedToWorker).not.toContain(id);
  });

  it("makes exactly one assignment creation for five concurrent approve events and duplicate worker runs", async () => {
    const id = await request("prod ReadOnly 1h concurrent clicks");
    const creations = () =>
      stack
        .callsOf("CreateAccountAssignment")
        .filter(
          (c) => JSON.stringify(c.input).includes(dev.userId) && JSON.stringify(c.input).includes(READ_ONLY),
        );
    const creates = creations().length;
    await Promise.all([admin, admin2, lead, admin, admin2].map((who) => stack.click(who, "approve", id)));
    expect(stack.handedToWorker.filter((handed) => handed === id)).toHaveLength(1);
    const duplicates = [1, 2, 3].map(() => stack.revoke({ grantId: id }));
    await Promise.all([stack.runWorker(), ...duplicates]);
    expect(await stack.statusOf(id)).toBe("active");
    expect(creations().length - creates).toBe(1);
  });

  it("keeps a permanent user assignment when the grant expires", async () => {
    stack.sim.addAssignment(readOnlyAssignment(lead));
    const grant = await activeGrant("prod ReadOnly 1h permanent", lead);
    expect(grant.preExisting).toBe(true);
    await passExpiry(grant.id);
    await expect(stack.fireSchedule(grant.id)).resolves.toMatchObject({ ok: true });
    expect(await stack.statusOf(grant.id)).toBe("ended");
    expect(stack.userAssignments(lead)).toHaveLength(1);
  });

  it("reports a FAILED provisioning with Identity Center's reason and leaves no schedule", async () => {
    stack.sim.setFaults({ failTuples: [failingReadOnly(admin2, "quota hit")] });
    try {
      const id = await request("prod ReadOnly 1h will fail", admin2);
      await stack.click(admin, "approve", id);
      await stack.runWorker();
      const grant = await stack.store.get(id);
      expect(grant?.status).toBe("failed");
      // The requester is told in words; Identity Center's own reason stays in the audit trail.
      expect(grant?.outcomeReason).toBe("Identity Center could not provision the assignment");
      const failed = (await stack.store.auditOf(id)).find((e) => e.type === "failed");
      expect(failed?.detail?.cause).toContain("quota hit");
      expect(stack.dmsWith("could not provision")).not.toEqual([]);
      expect(stack.dmsWith("quota hit")).toEqual([]);
      expect(stack.scheduleOf(id)).toBeUndefined();
    } finally {
      stack.sim.setFaults({ failTuples: [] });
    }
  });
});

describe("the revoker's backstops end to end", () => {
  it("revokes an expired grant whose schedule was lost on the next sweep", async () => {
    const grant = await activeGrant("staging AdministratorAccess 1h lost schedule", lead);
    for (const name of stack.scheduleNamesOf(grant.id))
      stack.scheduler.schedules.delete(`${SCHEDULE_GROUP}/${name}`);
    await passExpiry(grant.id);
    const swept = await stack.revoke({ sweep: true });
    expect(swept.ok).toBe(true);
    expect(swept.driven).toBeGreaterThanOrEqual(1);
    expect(await stack.statusOf(grant.id)).toBe("ended");
    expect(stack.userAssignments(lead).filter((a) => a.permissionSetArn === ADMIN)).toEqual([]);
  });

  it("revokes early from the Slack function and deletes the schedule in the worker", async () => {
    const grant = await activeGrant("prod ReadOnly 2h revoke early");
    expect(stack.scheduleOf(grant.id)).toBeDefined();
    const click = await stack.click(dev, "revokeNow", grant.id);
    expect(click.status).toBe(200);
    expect(await stack.statusOf(grant.id)).toBe("revoking");
    expect(stack.callsOf("DeleteAccountAssignment", click)).toEqual([]);
    await stack.runWorker();
    expect(await stack.statusOf(grant.id)).toBe("ended");
    expect(stack.scheduleOf(grant.id)).toBeUndefined();
    const reminderAt = (grant.expiresAt ?? 0) - 10 * MINUTE;
    expect(stack.scheduler.requestsOf("DELETE", scheduleName(grant.id, reminderAt))).not.toEqual([]);
  });

  it("counts a schedule that is already gone as deleted when revoking early", async () => {
    const grant = await activeGrant("prod AdministratorAccess 1h schedule already gone", admin2);
    const [name] = stack.scheduleNamesOf(grant.id);
    stack.scheduler.schedules.delete(`${SCHEDULE_GROUP}/${name}`);
    await stack.click(admin2, "revokeNow", grant.id);
    expect((await stack.runWorker()).every((result) => result.ok)).toBe(true);
    expect(stack.scheduler.requestsOf("DELETE", name)).toHaveLength(1);
    expect(await stack.statusOf(grant.id)).toBe("ended");
    expect(stack.userAssignments(admin2).filter((a) => a.permissionSetArn === ADMIN)).toEqual([]);
  });
});

describe("the exported handlers on a cold start", () => {
  it("starts and sweeps with Secrets Manager unavailable: the revoker never reads the Slack secret", async () => {
    stack.secretsManager.failNext = 100;
    try {
      await expect(revoker.handler({ sweep: true })).resolves.toMatchObject({ ok: true });
      await expect(revoker.handler({ sweep: true })).resolves.toMatchObject({ ok: true });
      expect(stack.secretsManager.asked).toEqual([]);
    } finally {
      stack.secretsManager.failNext = 0;
    }
  });

  it("answers a signed slash command through the exported Slack handler", async () => {
    const fields = slashCommandFields({
      user_id: dev.slackId,
      text: "help",
      response_url: stack.slack.responseUrl("cold-help"),
    });
    const answer = await slackFunction.handler(
      functionUrlEvent(signedSlashCommand(stack.secret, fields), { base64: true }),
      {},
    );
    expect(answer.statusCode).toBe(200);
    // The exported worker, on the real clock the hand-off was sealed with (the stack's runs hours ahead by now).
    expect((await stack.runWorker(worker.handler)).every((result) => result.ok)).toBe(true);
    expect(stack.repliesTo("cold-help")).toContain("/aws-access");
  });
});
