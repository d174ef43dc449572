import { describe, expect, it } from "vitest";
import { decideGrant } from "../../src/app/decide.js";
import { extendGrant } from "../../src/app/extend.js";
import { requestAccess } from "../../src/app/request.js";
import { EXPIRED, startRevocation } from "../../src/app/revoke.js";
import { sweepDue } from "../../src/app/sweep.js";
import { NotAuthorised, RequestRefused, UnknownUser } from "../../src/domain/errors.js";
import { SYSTEM_ACTOR } from "../../src/domain/grant.js";
import { aRule, harness, PEOPLE } from "../support/app-harness.js";
import { ADMIN, exampleConfig, PROD } from "../support/example-config.js";

const { dev, admin, ghost } = PEOPLE;
const prodAdmin = {
  account: "prod",
  permissionSet: "AdministratorAccess",
  durationSeconds: 3600,
  reason: "INC-1",
};
const devTarget = { userId: dev.userId, accountId: PROD, permissionSetArn: ADMIN };

async function activeGrant(h: ReturnType<typeof harness>) {
  const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
  await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
  const active = await h.store.get(grant.id);
  if (active?.status !== "active" || active.expiresAt === undefined) throw new Error("not active");
  return active;
}

describe("expiry under races and crashes", () => {
  it("deletes the assignment within 60 s of expiry after a revoker died mid-deletion", async () => {
    const h = harness();
    const grant = await activeGrant(h);
    h.clock.set(grant.expiresAt ?? 0);
    const realDelete = h.identity.startDeletion.bind(h.identity);
    let reached: () => void = () => {};
    const atDelete = new Promise<void>((resolve) => {
      reached = resolve;
    });
    h.identity.startDeletion = () => {
      reached();
      return new Promise(() => {});
    };
    void sweepDue(h.deps);
    await atDelete;
    h.identity.startDeletion = realDelete;
    h.clock.advance(60_000);
    await sweepDue(h.deps);
    expect(h.identity.has(devTarget)).toBe(false);
  });

  it("does not revoke a grant that was extended between the expiry pass's read and its write", async () => {
    const h = harness();
    const grant = await activeGrant(h);
    h.clock.set(grant.expiresAt ?? 0);
    const readBySweep = await h.store.get(grant.id);
    if (!readBySweep) throw new Error("missing");
    await extendGrant(h.deps, admin.slackId, grant.id, 3600);
    const after = await startRevocation(h.deps, readBySweep, SYSTEM_ACTOR, EXPIRED);
    expect(after.status).toBe("active");
  });
});

describe("creations that settle late", () => {
  it("still deletes an assignment whose creation landed after polling gave up", async () => {
    const h = harness();
    h.identity.stuck.add(`${devTarget.userId}|${devTarget.accountId}|${devTarget.permissionSetArn}`);
    const first = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, first.id, { kind: "approve" });
    expect((await h.store.get(first.id))?.status).toBe("provisioning");
    h.identity.finish(devTarget);
    h.clock.advance(60_000);
    await sweepDue(h.deps);
    const second = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, second.id, { kind: "approve" });
    for (let i = 0; i < 4; i++) {
      h.clock.advance(3600_000);
      await sweepDue(h.deps);
    }
    expect(h.identity.has(devTarget)).toBe(false);
    expect(h.identity.count("create")).toBe(1);
  });
});

describe("authorisation and audit edge cases", () => {
  it("counts one person approving from two Slack accounts once towards the quorum", async () => {
    const h = harness(exampleConfig({ rules: [aRule({ approvalsRequired: 2 })] }));
    h.chat.addUser("U0ADMINALT", admin.email);
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    await expect(decideGrant(h.deps, "U0ADMINALT", grant.id, { kind: "approve" })).rejects.toBeInstanceOf(
      NotAuthorised,
    );
    expect((await h.store.get(grant.id))?.status).toBe("pending");
  });

  it("records a refused extension in the grant's audit trail", async () => {
    const h = harness();
    const grant = await activeGrant(h);
    await expect(extendGrant(h.deps, admin.slackId, grant.id, 5 * 3600)).rejects.toBeInstanceOf(
      RequestRefused,
    );
    expect((await h.store.auditOf(grant.id)).map((e) => e.type)).toContain("refused");
  });

  it("records a request from someone Identity Center does not know", async () => {
    const h = harness();
    await expect(requestAccess(h.deps, ghost.slackId, prodAdmin)).rejects.toBeInstanceOf(UnknownUser);
    const day = new Date(h.clock.now()).toISOString().slice(0, 10);
    expect((await h.store.refusalsOn(day)).map((e) => e.actor)).toContain(ghost.slackId);
  });
});
