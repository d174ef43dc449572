import { describe, expect, it } from "vitest";
import { cases } from "../fixtures/grammar-cases.js";
import {
  E2EStack,
  failingReadOnly,
  PEOPLE,
  type Person,
  readOnlyAssignment,
  waitFor,
} from "../support/e2e.js";
import { ADMIN, PROD, READ_ONLY } from "../support/example-config.js";
import { startedForFile } from "../support/hooks.js";

const { dev, admin, admin2, lead, outsider } = PEOPLE;
const HOUR = 3600_000;

const stack = startedForFile(new E2EStack());

/** Requests as dev and returns the new grant id. */
async function request(text: string, who: Person = dev): Promise<string> {
  const before = new Set((await stack.grantsOf(who)).map((g) => g.id));
  const answer = await stack.slash(who, text);
  expect(answer.status).toBe(200);
  const grant = await waitFor("the grant to be stored", async () =>
    (await stack.grantsOf(who)).find((g) => !before.has(g.id)),
  );
  return grant.id;
}

async function statusOf(id: string) {
  return (await stack.store.get(id))?.status;
}

async function activeGrant(
  text = "prod AdministratorAccess 1h fixing INC-123",
  who: Person = dev,
): Promise<string> {
  const id = await request(text, who);
  await stack.click(admin, "approve", id);
  await waitFor("activation", async () => (await statusOf(id)) === "active");
  return id;
}

describe("the bot end to end", () => {
  it("answers /healthz", async () => {
    const res = await fetch(stack.url.replace("/slack/events", "/healthz"));
    expect(res.status).toBe(200);
  });

  it("requests, approves, grants and tells the requester", async () => {
    const id = await request("prod AdministratorAccess 2h fixing INC-123");
    const posted = await waitFor("the approval request", () =>
      stack.slack.messagesIn("C0PRODADMIN").find((m) => JSON.stringify(m.blocks).includes(id)),
    );
    expect(JSON.stringify(posted.blocks)).toContain("grant_approve");
    await stack.click(admin, "approve", id);
    const grant = await waitFor("activation", async () => {
      const g = await stack.store.get(id);
      return g?.status === "active" ? g : undefined;
    });
    expect(grant.expiresAt).toBe((grant.activatedAt ?? 0) + 2 * HOUR);
    expect(stack.userAssignments(dev)).toContainEqual(
      expect.objectContaining({ accountId: PROD, permissionSetArn: ADMIN }),
    );
    const dm = await waitFor("the granted DM", () =>
      stack.slack.messages.find((m) => m.channel.startsWith("D") && JSON.stringify(m).includes(id)),
    );
    expect(dm.text).toContain("You have *AdministratorAccess*");
    const updated = await waitFor("the message update", () => (posted.updates > 0 ? posted : undefined));
    expect(JSON.stringify(updated.blocks)).not.toContain("grant_approve");
  });

  it("refuses self-approval with an explanation only the clicker sees", async () => {
    const id = await request("prod AdministratorAccess 1h my own", admin);
    const click = await stack.click(admin, "approve", id);
    const reply = await waitFor("the explanation", () => stack.repliesTo(click.responseId));
    expect(reply).toMatch(/cannot approve/);
    expect(reply).toContain("ephemeral");
    expect(await statusOf(id)).toBe("pending");
  });

  it("refuses an approver who is not in the rule", async () => {
    const id = await request("prod AdministratorAccess 1h outsider test");
    const click = await stack.click(outsider, "approve", id);
    expect(await waitFor("the explanation", () => stack.repliesTo(click.responseId))).toMatch(
      /cannot approve/,
    );
    expect((await stack.store.get(id))?.approvals).toEqual([]);
  });

  it("makes exactly one assignment creation for five concurrent Approve clicks", async () => {
    const id = await request("prod ReadOnly 1h concurrent clicks");
    const creates = stack.createCalls();
    await Promise.all([admin, admin2, lead, admin, admin2].map((who) => stack.click(who, "approve", id)));
    await waitFor("activation", async () => (await statusOf(id)) === "active");
    await new Promise((r) => setTimeout(r, 500));
    expect(stack.createCalls() - creates).toBe(1);
  });

  it("denies with a reason and tells the requester", async () => {
    const id = await request("prod ReadOnly 1h deny me");
    await stack.click(admin, "deny", id);
    await stack.submitDenial(admin, id, "use staging");
    await waitFor("the denial", async () => (await statusOf(id)) === "denied");
    expect((await stack.store.get(id))?.outcomeReason).toBe("use staging");
  });

  it("escapes injection text everywhere it is shown", async () => {
    const evil = "<!channel> <@U0ADMIN> & <script>alert(1)</script> <https://evil.example|click>";
    const id = await request(`prod ReadOnly 1h ${evil}`);
    const posted = await waitFor("the approval request", () =>
      stack.slack.messagesIn("C0PRODADMIN").find((m) => JSON.stringify(m.blocks).includes(id)),
    );
    const shown = JSON.stringify(posted);
    expect(shown).not.toContain("<!channel>");
    expect(shown).not.toContain("<@U0ADMIN>");
    expect(shown).not.toContain("<script>");
    expect(shown).not.toContain("<https://evil");
    expect(shown).toContain("&lt;!channel&gt;");
    expect(shown).toContain("&amp;");
  });

  it.each(cases.filter(([, , expected]) => typeof expected === "string"))(
    "answers the malformed command for '%s' and changes nothing",
    async (_name, text) => {
      const grants = (await stack.grantsOf(outsider)).length;
      const aboutOutsider = () =>
        stack.slack.messages.filter((m) => JSON.stringify(m).includes(outsider.slackId));
      const posts = aboutOutsider().length;
      const answer = await stack.slash(outsider, text);
      expect(answer.status).toBe(200);
      const reply = await waitFor("the reply", () => stack.repliesTo(answer.responseId));
      expect(reply).toContain("ephemeral");
      expect((await stack.grantsOf(outsider)).length).toBe(grants);
      expect(aboutOutsider().length).toBe(posts);
    },
  );
});

describe("expiry and overlap end to end", () => {
  it("revokes at expiry, not before, within seconds of it", async () => {
    const id = await activeGrant("staging AdministratorAccess 1h expiry test", lead);
    const grant = await stack.store.get(id);
    stack.clock.advance((grant?.expiresAt ?? 0) - stack.clock.now() - 3_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await statusOf(id)).toBe("active");
    stack.clock.advance(3_000);
    await waitFor("revocation", async () => (await statusOf(id)) === "ended", 10_000);
    expect(stack.userAssignments(lead).filter((a) => a.permissionSetArn === ADMIN)).toEqual([]);
  });

  it("keeps a permanent user assignment when the grant expires", async () => {
    stack.sim.addAssignment(readOnlyAssignment(lead));
    const id = await request("prod ReadOnly 1h permanent", lead);
    await stack.click(admin, "approve", id);
    await waitFor("activation", async () => (await statusOf(id)) === "active");
    expect((await stack.store.get(id))?.preExisting).toBe(true);
    stack.clock.advance(HOUR);
    await waitFor("the end", async () => (await statusOf(id)) === "ended");
    expect(stack.userAssignments(lead)).toHaveLength(1);
  });

  it("shares one assignment between overlapping grants and deletes it with the last", async () => {
    const first = await activeGrant("prod ReadOnly 1h first");
    stack.clock.advance(30 * 60_000);
    const second = await activeGrant("prod ReadOnly 1h second");
    const readOnly = () => stack.userAssignments(dev).filter((a) => a.permissionSetArn === READ_ONLY);
    expect(readOnly()).toHaveLength(1);
    stack.clock.advance(30 * 60_000);
    await waitFor("the first to end", async () => (await statusOf(first)) === "ended");
    expect(readOnly()).toHaveLength(1);
    expect(await statusOf(second)).toBe("active");
    stack.clock.advance(30 * 60_000);
    await waitFor("the second to end", async () => (await statusOf(second)) === "ended");
    expect(readOnly()).toHaveLength(0);
  });
});

describe("Identity Center trouble end to end", () => {
  it("still grants with half the calls throttled", async () => {
    stack.sim.setFaults({ throttleShare: 0.5 });
    try {
      const id = await activeGrant("prod ReadOnly 1h throttled");
      expect(await statusOf(id)).toBe("active");
    } finally {
      stack.sim.setFaults({ throttleShare: 0 });
    }
  });

  it("fails with Identity Center's reason and tells the requester", async () => {
    stack.sim.setFaults({ failTuples: [failingReadOnly(admin2, "quota hit")] });
    try {
      const id = await request("prod ReadOnly 1h will fail", admin2);
      await stack.click(admin, "approve", id);
      await waitFor("the failure", async () => (await statusOf(id)) === "failed");
      // The requester is told in words; Identity Center's own reason stays in the audit trail.
      const failed = (await stack.store.auditOf(id)).find((e) => e.type === "failed");
      expect(failed?.detail?.cause).toContain("quota hit");
      const dm = await waitFor("the failure DM", () =>
        stack.slack.messages.find(
          (m) => m.channel.startsWith("D") && JSON.stringify(m).includes("could not provision"),
        ),
      );
      expect(JSON.stringify(dm)).not.toContain("quota hit");
    } finally {
      stack.sim.setFaults({ failTuples: [] });
    }
  });
});

describe("the baseline end to end", () => {
  it("never creates, changes or deletes a group assignment", async () => {
    const groupWrites = stack.sim
      .calls()
      .filter((c) => /AccountAssignment$/.test(c.operation) && c.operation !== "ListAccountAssignments")
      .filter((c) => JSON.stringify(c.input).includes('"PrincipalType":"GROUP"'));
    expect(groupWrites).toEqual([]);
    expect(stack.sim.assignments()).toContainEqual({
      principalType: "GROUP",
      principalId: "g-org-admins",
      accountId: PROD,
      permissionSetArn: ADMIN,
    });
    const userWrites = stack.sim
      .calls()
      .filter((c) => /^(Create|Delete)AccountAssignment$/.test(c.operation));
    expect(userWrites.length).toBeGreaterThan(0);
  });
});
