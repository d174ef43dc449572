import { describe, expect, it } from "vitest";
import { extendGrant, requestAccess } from "../../../src/app/index.js";
import { NotAuthorised } from "../../../src/domain/errors.js";
import { aRule, harness, PEOPLE } from "../../support/app-harness.js";
import { exampleConfig } from "../../support/example-config.js";

const HOUR = 3600;

/** A self-service grant of staging ReadOnly for the developer, already active. */
async function activeSelfService(h = harness()) {
  const grant = await requestAccess(h.deps, PEOPLE.dev.slackId, {
    account: "staging",
    permissionSet: "ReadOnly",
    reason: "INC-9",
    durationSeconds: HOUR,
  });
  const active = await h.store.get(grant.id);
  expect(active?.status).toBe("active");
  return { h, grant: active ?? grant };
}

describe("self-service extension", () => {
  it("extends the grant of a requester who is still eligible", async () => {
    const { h, grant } = await activeSelfService();
    const extended = await extendGrant(h.deps, PEOPLE.dev.slackId, grant.id, HOUR);
    expect(extended.expiresAt).toBe((grant.expiresAt ?? 0) + HOUR * 1000);
  });

  it("refuses a requester who has left the rule's requester group, says why and audits it", async () => {
    const { h, grant } = await activeSelfService();
    h.identity.groups.get("Engineers")?.delete(PEOPLE.dev.userId);
    const extension = extendGrant(h.deps, PEOPLE.dev.slackId, grant.id, HOUR);
    await expect(extension).rejects.toBeInstanceOf(NotAuthorised);
    await expect(extension).rejects.toThrow(/no longer among those rule `staging-self-service` lets request/);
    expect((await h.store.get(grant.id))?.expiresAt).toBe(grant.expiresAt);
    const refusals = (await h.store.auditOf(grant.id)).filter((event) => event.type === "refused");
    expect(refusals.map((event) => [event.actor, event.reason])).toEqual([
      [PEOPLE.dev.slackId, expect.stringContaining("extend refused: you are no longer among")],
    ]);
  });

  it("refuses a requester the rule no longer names by email once the config changes", async () => {
    const byEmail = aRule({
      name: "staging-self-service",
      accounts: ["staging"],
      permissionSets: ["ReadOnly"],
      requesters: { groups: [], emails: [PEOPLE.dev.email] },
      autoApprove: true,
      approvers: undefined,
      maxDurationSeconds: 8 * HOUR,
      channel: undefined,
    });
    const h = harness(exampleConfig({ rules: [byEmail] }));
    const { grant } = await activeSelfService(h);
    h.deps.config = exampleConfig({
      rules: [{ ...byEmail, requesters: { groups: [], emails: ["someone-else@example.com"] } }],
    });
    await expect(extendGrant(h.deps, PEOPLE.dev.slackId, grant.id, HOUR)).rejects.toThrow(
      /`someone-else@example.com`/,
    );
    expect((await h.store.get(grant.id))?.expiresAt).toBe(grant.expiresAt);
  });
});
