import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { submitRequest } from "../../../src/app/request.js";
import { sweepDue } from "../../../src/app/sweep.js";
import { apply } from "../../../src/app/write.js";
import type { Grant } from "../../../src/domain/grant.js";
import { aRule, type Harness, harness, PEOPLE } from "../../support/app-harness.js";
import { exampleConfig } from "../../support/example-config.js";
import { statuses } from "../../support/use-cases.js";

const { dev, admin, lead, outsider } = PEOPLE;
/** prod is approved by the administrators, staging by the security lead alone: no one approves both parts. */
const splitApprovers = exampleConfig({
  rules: [
    aRule({
      name: "prod-admin",
      accounts: ["prod"],
      channel: undefined,
      approvers: { groups: ["Organization Administrators"], emails: [] },
    }),
    aRule({
      name: "staging-lead",
      accounts: ["staging"],
      channel: undefined,
      approvers: { groups: [], emails: ["security-lead@example.com"] },
    }),
  ],
});
const bothAccounts = {
  account: ["prod", "staging"],
  permissionSet: "AdministratorAccess",
  durationSeconds: 3600,
  reason: "INC-9",
};

async function request(h: Harness): Promise<[Grant, Grant]> {
  const { grants } = await submitRequest(h.deps, dev.slackId, bothAccounts);
  return grants as [Grant, Grant];
}

/** Holds every reader of the request's parts until `count` of them have read: their decisions are side by side. */
function sideBySide(h: Harness, count: number): void {
  const read = h.store.requestParts.bind(h.store);
  let waiting = count;
  let open: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    open = resolve;
  });
  h.store.requestParts = async (requestId) => {
    const parts = await read(requestId);
    if (waiting > 0) {
      waiting -= 1;
      if (waiting === 0) open();
      await all;
    }
    return parts;
  };
}

/** The state approvals written side by side left before decisions were conditioned on every part. */
async function approvedButWaiting(h: Harness, grants: readonly Grant[]): Promise<void> {
  const by = [admin, lead];
  const parts = await h.store.requestParts(grants[0]?.requestId ?? "");
  for (const [n, part] of parts.entries()) {
    const who = by[n] ?? admin;
    const at = h.clock.now();
    await apply(h.deps, part, {
      type: "approve",
      by: { slackId: who.slackId, email: who.email, at },
      wait: true,
    });
  }
}

describe("approvers deciding parts of one request at the same moment", () => {
  it("completes the request when two approvers of different rules approve their parts side by side", async () => {
    const h = harness(splitApprovers);
    const grants = await request(h);
    sideBySide(h, 2);
    const outcomes = await Promise.allSettled([
      decideGrant(h.deps, admin.slackId, grants[0].id, { kind: "approve" }),
      decideGrant(h.deps, lead.slackId, grants[0].id, { kind: "approve" }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(await statuses(h, grants)).toEqual(["active", "active"]);
    const approvers = await Promise.all(
      grants.map(async (g) => (await h.store.get(g.id))?.approvals.map((a) => a.email)),
    );
    expect(approvers).toEqual([[admin.email], [lead.email]]);
    expect(h.identity.count("create")).toBe(2);
    const audit = (await Promise.all(grants.map((g) => h.store.auditOf(g.id)))).flat();
    expect(audit.filter((e) => e.type === "refused")).toEqual([]);
    expect(audit.filter((e) => e.reason?.startsWith("every part of request"))).toHaveLength(1);
  });

  it("denies every part when a deny races an approval of another part", async () => {
    const h = harness(splitApprovers);
    const grants = await request(h);
    sideBySide(h, 2);
    await Promise.allSettled([
      decideGrant(h.deps, admin.slackId, grants[0].id, { kind: "deny", reason: "not today" }),
      decideGrant(h.deps, lead.slackId, grants[1].id, { kind: "approve" }),
    ]);
    expect(await statuses(h, grants)).toEqual(["denied", "denied"]);
    expect(h.identity.count("create")).toBe(0);
  });
});

describe("a request whose every part has its approvals but still waits", () => {
  it("is released by the click of an approver of any part, who has approved already", async () => {
    const h = harness(splitApprovers);
    const grants = await request(h);
    await approvedButWaiting(h, grants);
    expect(await statuses(h, grants)).toEqual(["pending", "pending"]);
    const clicked = await decideGrant(h.deps, admin.slackId, grants[1].id, { kind: "approve" });
    expect(clicked.status).not.toBe("pending");
    expect(await statuses(h, grants)).toEqual(["active", "active"]);
    expect(await h.store.auditOf(grants[1].id)).toContainEqual(
      expect.objectContaining({
        type: "approved",
        actor: admin.slackId,
        reason: expect.stringMatching(/^every part/),
      }),
    );
  });

  it("is not released by someone who approves none of its parts, and stays as it was", async () => {
    const h = harness(splitApprovers);
    const grants = await request(h);
    await approvedButWaiting(h, grants);
    await expect(decideGrant(h.deps, outsider.slackId, grants[0].id, { kind: "approve" })).rejects.toThrow(
      /not an approver/,
    );
    expect(await statuses(h, grants)).toEqual(["pending", "pending"]);
  });

  it("is released by a click past its time-out, which leaves provisioning to the engine and creates nothing", async () => {
    const h = harness(splitApprovers);
    const handed: string[] = [];
    h.deps.jobs = { drive: async (grantId) => void handed.push(grantId) };
    const grants = await request(h);
    await approvedButWaiting(h, grants);
    h.clock.set(grants[0].timeoutAt + 1_000);

    await expect(decideGrant(h.deps, admin.slackId, grants[0].id, { kind: "approve" })).rejects.toThrow(
      /already provisioning/,
    );

    expect(await statuses(h, grants)).toEqual(["provisioning", "provisioning"]);
    expect(handed.sort()).toEqual(grants.map((g) => g.id).sort());
    expect(h.identity.count("create")).toBe(0);
  });

  it("is released by the sweep when it comes due", async () => {
    const h = harness(splitApprovers);
    const grants = await request(h);
    await approvedButWaiting(h, grants);
    const due = await Promise.all(grants.map(async (g) => (await h.store.get(g.id))?.dueAt ?? 0));
    h.clock.set(Math.min(...due));
    await sweepDue(h.deps);
    expect(await statuses(h, grants)).toEqual(["active", "active"]);
    expect(await h.store.auditOf(grants[0].id)).toContainEqual(
      expect.objectContaining({
        type: "approved",
        actor: "system",
        reason: expect.stringMatching(/^every part/),
      }),
    );
  });
});
