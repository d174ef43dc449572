import { describe, expect, it } from "vitest";
import { driveGrant } from "../../src/app/sweep.js";
import { aRule } from "../support/app-harness.js";
import { E2EStack, PEOPLE, waitFor } from "../support/e2e.js";
import { exampleConfig } from "../support/example-config.js";
import { startedForFile } from "../support/hooks.js";

const { dev, admin, admin2, lead } = PEOPLE;
const MINUTE = 60_000;

/** The example rules, with prod-admin needing two distinct approvers. */
function twoApprovers() {
  const base = exampleConfig();
  return {
    ...base,
    rules: base.rules.map((r) => (r.name === "prod-admin" ? aRule({ approvalsRequired: 2 }) : r)),
  };
}

const stack = startedForFile(new E2EStack({ config: twoApprovers() }));

/** Requests as dev and returns the grant once its approval message is posted. */
async function request(text: string) {
  const before = new Set((await stack.grantsOf(dev)).map((g) => g.id));
  expect((await stack.slash(dev, text)).status).toBe(200);
  return waitFor("the approval message", async () => {
    const grant = (await stack.grantsOf(dev)).find((g) => !before.has(g.id));
    return grant?.message ? grant : undefined;
  });
}

const deps = () => {
  if (!stack.bot) throw new Error("the bot is not running");
  return stack.bot.deps;
};

const repliesIn = (ts: string) => stack.slack.messagesIn("C0PRODADMIN").filter((m) => m.threadTs === ts);

describe("approvers and requesters in the flow, on the server", () => {
  it("reminds the approvers of a request still pending after 30 minutes, once, in its thread", async () => {
    const grant = await request("prod ReadOnly 1h INC-31 nobody looked yet");
    const ts = grant.message?.ts ?? "";
    stack.clock.advance(29 * MINUTE);
    // Driven now, as a sweep or timer would: not due yet.
    await driveGrant(deps(), grant.id);
    expect((await stack.store.auditOf(grant.id)).some((e) => e.type === "nudged")).toBe(false);
    stack.clock.advance(2 * MINUTE);
    const reminder = await waitFor("the reminder in the thread", () => repliesIn(ts)[0]);
    const mentioned = reminder.text?.split(": request")[0] ?? "";
    for (const approver of [admin, admin2, lead]) expect(mentioned).toContain(`<@${approver.slackId}>`);
    expect(mentioned).not.toContain(`<@${dev.slackId}>`);
    const audit = await stack.store.auditOf(grant.id);
    expect(audit.filter((e) => e.type === "nudged")).toHaveLength(1);
    stack.clock.advance(10 * MINUTE);
    await driveGrant(deps(), grant.id);
    expect((await stack.store.auditOf(grant.id)).filter((e) => e.type === "nudged")).toHaveLength(1);
    expect(repliesIn(ts)).toHaveLength(1);
  });

  it("extends a grant whose rule needs two approvers only once both approve the extension in the thread", async () => {
    const grant = await request("prod AdministratorAccess 1h INC-32 rollout");
    await stack.click(admin, "approve", grant.id);
    await stack.click(admin2, "approve", grant.id);
    const active = await waitFor("activation", async () => {
      const g = await stack.store.get(grant.id);
      return g?.status === "active" ? g : undefined;
    });
    const asked = await stack.slash(dev, `extend ${grant.id} 30m`);
    expect(await waitFor("the reply", () => stack.repliesTo(asked.responseId))).toContain(
      "Asked the approvers",
    );
    const thread = await waitFor("the extension request in the thread", () =>
      repliesIn(grant.message?.ts ?? "").find((m) => JSON.stringify(m.blocks).includes("extension_approve")),
    );
    const extensionId = (await stack.store.get(grant.id))?.extension?.id ?? "";
    await stack.click(admin, "approveExtension", `${grant.id}:${extensionId}`);
    await waitFor(
      "the first approval",
      async () => (await stack.store.get(grant.id))?.extension?.approvals.length,
    );
    expect((await stack.store.get(grant.id))?.expiresAt).toBe(active.expiresAt);
    await stack.click(admin2, "approveExtension", `${grant.id}:${extensionId}`);
    const extended = await waitFor("the extension", async () => {
      const g = await stack.store.get(grant.id);
      return g?.expiresAt === (active.expiresAt ?? 0) + 30 * MINUTE ? g : undefined;
    });
    expect(extended.extension).toMatchObject({ status: "approved", decidedBy: admin2.slackId });
    await waitFor("the thread reply to show the outcome", () =>
      thread.updates > 0 && !JSON.stringify(thread.blocks).includes("extension_approve") ? thread : undefined,
    );
    const dm = await waitFor("the requester's DM", () =>
      stack.slack.messages.find((m) => m.channel.startsWith("D") && m.text?.includes("now lasts")),
    );
    expect(dm.text).toContain(grant.id);
    const types = (await stack.store.auditOf(grant.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["extension-requested", "extension-approved", "extended"]));
  });
});
