import { describe, expect, it } from "vitest";
import type { Grant } from "../../src/domain/grant.js";
import { E2EStack, PEOPLE, waitFor } from "../support/e2e.js";
import { ADMIN, PROD, READ_ONLY } from "../support/example-config.js";
import { startedForFile } from "../support/hooks.js";

const { dev, admin } = PEOPLE;
const MINUTE = 60_000;

const stack = startedForFile(new E2EStack());

/** Types a request as dev and returns the grants it made, in the order asked. */
async function request(text: string, parts: number): Promise<Grant[]> {
  const before = new Set((await stack.grantsOf(dev)).map((g) => g.id));
  expect((await stack.slash(dev, text)).status).toBe(200);
  const made = await waitFor("the grants to be stored", async () => {
    const fresh = (await stack.grantsOf(dev)).filter((g) => !before.has(g.id));
    return fresh.length === parts ? fresh : undefined;
  });
  return made.sort((a, b) => a.permissionSet.name.localeCompare(b.permissionSet.name));
}

async function statuses(grants: readonly Grant[]) {
  return Promise.all(grants.map(async (g) => (await stack.store.get(g.id))?.status));
}

describe("requests of several parts and scheduled starts on the server", () => {
  it("posts one message for a request of two parts, grants both on one approval and ends both by request id", async () => {
    const grants = await request("prod ReadOnly,AdministratorAccess 1h INC-42 rollout", 2);
    const requestId = grants[0]?.requestId ?? "";
    expect(requestId).toMatch(/^r-/);
    expect(grants.every((g) => g.requestId === requestId)).toBe(true);
    const posted = await waitFor("the approval request", () =>
      stack.slack.messagesIn("C0PRODADMIN").find((m) => JSON.stringify(m.blocks).includes(requestId)),
    );
    expect(
      stack.slack.messagesIn("C0PRODADMIN").filter((m) => JSON.stringify(m).includes(requestId)),
    ).toHaveLength(1);
    for (const grant of grants) expect(JSON.stringify(posted.blocks)).toContain(grant.id);
    await stack.click(admin, "approve", grants[1]?.id ?? "");
    await waitFor("both parts active", async () => (await statuses(grants)).every((s) => s === "active"));
    expect(stack.userAssignments(dev)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ accountId: PROD, permissionSetArn: ADMIN }),
        expect.objectContaining({ accountId: PROD, permissionSetArn: READ_ONLY }),
      ]),
    );
    const updated = await waitFor("the message to show both active", () => {
      const text = JSON.stringify(
        stack.slack.messagesIn("C0PRODADMIN").find((m) => m.ts === posted.ts)?.blocks,
      );
      return text.includes("grant_approve") || !text.includes("Active until") ? undefined : text;
    });
    expect(updated).toContain("grant_revoke");
    const list = await stack.slash(dev, "list");
    expect(await waitFor("the list", () => stack.repliesTo(list.responseId))).toContain(
      `Request \`${requestId}\`, 2 open parts`,
    );
    const revoke = await stack.slash(dev, `revoke ${requestId}`);
    expect(await waitFor("the reply", () => stack.repliesTo(revoke.responseId))).toContain(
      `Ending request \`${requestId}\``,
    );
    await waitFor("both parts ended", async () => (await statuses(grants)).every((s) => s === "ended"));
    expect(stack.userAssignments(dev)).toEqual([]);
  });

  it("creates the assignment of an approved request only at its start, and counts the duration from then", async () => {
    const [grant] = await request("staging AdministratorAccess 1h in 30m scheduled rollout", 1);
    expect(grant?.startsAt).toBe((grant?.createdAt ?? 0) + 30 * MINUTE);
    await stack.click(admin, "approve", grant?.id ?? "");
    await waitFor(
      "approval",
      async () => (await stack.store.get(grant?.id ?? ""))?.status === "provisioning",
    );
    const creates = stack.createCalls();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(stack.createCalls()).toBe(creates);
    expect((await stack.store.get(grant?.id ?? ""))?.status).toBe("provisioning");
    stack.clock.advance(30 * MINUTE);
    const active = await waitFor("activation at the start", async () => {
      const g = await stack.store.get(grant?.id ?? "");
      return g?.status === "active" ? g : undefined;
    });
    expect(active.activatedAt).toBeGreaterThanOrEqual(grant?.startsAt ?? 0);
    expect(active.expiresAt).toBe((active.activatedAt ?? 0) + 3600_000);
    expect(stack.createCalls()).toBe(creates + 1);
  });
});
