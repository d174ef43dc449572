import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { endAsOperator, everyOpenGrant } from "../../../src/app/operator.js";
import { requestAccess } from "../../../src/app/request.js";
import { sweepDue } from "../../../src/app/sweep.js";
import { GrantNotFound, RequestRefused } from "../../../src/domain/errors.js";
import { harness, PEOPLE } from "../../support/app-harness.js";
import { ADMIN, PROD } from "../../support/example-config.js";
import { prodAdminAsk } from "../../support/use-cases.js";

const { dev, admin } = PEOPLE;
const prodAdmin = prodAdminAsk("INC-1");
const devTarget = { userId: dev.userId, accountId: PROD, permissionSetArn: ADMIN };
const devKey = `${dev.userId}|${PROD}|${ADMIN}`;
const noWait = { waitMs: 0, sleep: async () => {} };

describe("the operator's revoke", () => {
  it("cancels a pending request and tells the requester", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    const { before, after } = await endAsOperator(h.deps, grant.id.toUpperCase(), noWait);
    expect([before, after.status]).toEqual(["pending", "cancelled"]);
    expect(h.chat.noticesFor(grant.id)).toEqual(["cancelled"]);
  });

  it("ends a grant whose creation is still under way, deleting what the creation made", async () => {
    const h = harness();
    h.identity.stuck.add(devKey);
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    expect((await h.store.get(grant.id))?.status).toBe("provisioning");
    h.clock.advance(20_000);
    const pending = endAsOperator(h.deps, grant.id, noWait);
    const { before, after } = await pending;
    expect(before).toBe("provisioning");
    expect(after.status).toBe("revoking");
    h.identity.finish(devTarget);
    h.clock.advance(20_000);
    await sweepDue(h.deps);
    expect((await h.store.get(grant.id))?.status).toBe("ended");
    expect(h.identity.has(devTarget)).toBe(false);
    expect([h.identity.count("create"), h.identity.count("delete")]).toEqual([1, 1]);
  });

  it("revokes an active grant and one whose deletion is backing off after failures", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    h.identity.refuse(devTarget, "access-denied", ["deletion"]);
    expect((await endAsOperator(h.deps, grant.id, noWait)).after.status).toBe("revoking");
    h.identity.refusing.clear();
    const { before, after } = await endAsOperator(h.deps, grant.id, noWait);
    expect([before, after.status]).toEqual(["revoking", "ended"]);
    expect(h.identity.has(devTarget)).toBe(false);
  });

  it("says what was wrong with an id and changes nothing", async () => {
    const h = harness();
    await expect(endAsOperator(h.deps, "not-an-id", noWait)).rejects.toBeInstanceOf(RequestRefused);
    await expect(endAsOperator(h.deps, "zzzzzzzz", noWait)).rejects.toBeInstanceOf(GrantNotFound);
  });

  it("lists every grant that is not over, and none that has ended", async () => {
    const h = harness();
    const ended = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await endAsOperator(h.deps, ended.id, noWait);
    const open = await requestAccess(h.deps, dev.slackId, { ...prodAdmin, reason: "INC-2" });
    expect((await everyOpenGrant(h.deps)).map((g) => [g.id, g.status])).toEqual([[open.id, "pending"]]);
  });
});
