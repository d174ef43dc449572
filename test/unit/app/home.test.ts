import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { deliverNotices } from "../../../src/app/deliver.js";
import { extendGrant } from "../../../src/app/extend.js";
import { homeFor, openGrants, publishHome } from "../../../src/app/home.js";
import { requestAccess } from "../../../src/app/request.js";
import { aRule, harness, PEOPLE } from "../../support/app-harness.js";
import { exampleConfig } from "../../support/example-config.js";

const { dev, admin, admin2, lead, outsider } = PEOPLE;
const ask = (permissionSet: string) => ({
  account: "prod",
  permissionSet,
  durationSeconds: 3600,
  reason: "INC-3",
});
const ids = (grants: { id: string }[]) => grants.map((g) => g.id).sort();

describe("the Home tab", () => {
  it("shows the requester their open grants with what Extend adds, and nothing to decide", async () => {
    const h = harness();
    const active = await requestAccess(h.deps, dev.slackId, ask("AdministratorAccess"));
    await decideGrant(h.deps, admin.slackId, active.id, { kind: "approve" });
    const pending = await requestAccess(h.deps, dev.slackId, ask("ReadOnly"));
    const home = await homeFor(h.deps, dev.slackId, await openGrants(h.deps));
    expect(ids(home.mine)).toEqual(ids([active, pending]));
    expect(home.extendBy).toEqual({ [active.id]: 3600 });
    expect([home.toApprove, home.extensionsToApprove, home.revocable]).toEqual([[], [], []]);
  });

  it("shows approvers what waits for them and what they may end, by the rules' own policy", async () => {
    const base = exampleConfig();
    const rules = base.rules.map((r) => (r.name === "prod-admin" ? aRule({ approvalsRequired: 2 }) : r));
    const h = harness({ ...base, rules });
    const pending = await requestAccess(h.deps, dev.slackId, ask("ReadOnly"));
    await decideGrant(h.deps, admin.slackId, pending.id, { kind: "approve" });
    const active = await requestAccess(h.deps, dev.slackId, ask("AdministratorAccess"));
    await decideGrant(h.deps, admin.slackId, active.id, { kind: "approve" });
    await decideGrant(h.deps, admin2.slackId, active.id, { kind: "approve" });
    await extendGrant(h.deps, dev.slackId, active.id, 1800);
    const open = await openGrants(h.deps);

    const forAdmin = await homeFor(h.deps, admin.slackId, open);
    // admin already approved the pending request: it no longer waits for them.
    expect(ids(forAdmin.toApprove)).toEqual([]);
    expect(ids(forAdmin.extensionsToApprove)).toEqual([active.id]);
    expect(ids(forAdmin.revocable)).toEqual([active.id]);
    const forLead = await homeFor(h.deps, lead.slackId, open);
    expect(ids(forLead.toApprove)).toEqual([pending.id]);
    const forOutsider = await homeFor(h.deps, outsider.slackId, open);
    expect([forOutsider.toApprove, forOutsider.extensionsToApprove, forOutsider.revocable]).toEqual([
      [],
      [],
      [],
    ]);
  });

  it("is republished for the requester and the rule's approvers after a change", async () => {
    const h = harness();
    const grant = await requestAccess(h.deps, dev.slackId, ask("AdministratorAccess"));
    const published = new Set(h.chat.homes.map((p) => p.slackId));
    expect([...published].sort()).toEqual([dev.slackId, admin.slackId, admin2.slackId, lead.slackId].sort());
    expect(h.chat.homeOf(lead.slackId)?.toApprove.map((g) => g.id)).toEqual([grant.id]);
    await decideGrant(h.deps, lead.slackId, grant.id, { kind: "approve" });
    expect(h.chat.homeOf(lead.slackId)?.toApprove).toEqual([]);
    expect(h.chat.homeOf(dev.slackId)?.mine.map((g) => g.status)).toEqual(["active"]);
    expect(h.chat.homeOf(admin.slackId)?.revocable.map((g) => g.id)).toEqual([grant.id]);
  });

  it("publishes once for changes to one grant that wait together", async () => {
    const h = harness();
    h.chat.down = true;
    const grant = await requestAccess(h.deps, dev.slackId, ask("AdministratorAccess"));
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    h.chat.down = false;
    h.clock.advance(60_000);
    while ((await deliverNotices(h.deps)).sent > 0) h.clock.advance(2_000);
    expect(h.chat.homes.filter((p) => p.slackId === dev.slackId)).toHaveLength(1);
    const homeNotices = h.store.allNotices().filter((n) => n.body.kind === "home");
    expect(homeNotices.length).toBeGreaterThan(1);
    expect(homeNotices.every((n) => n.state === "sent")).toBe(true);
  });

  it("puts how the viewer's last click went on top", async () => {
    const h = harness();
    await publishHome(h.deps, dev.slackId, { notice: ":warning: You cannot approve that." });
    expect(h.chat.homeOf(dev.slackId)?.notice).toBe(":warning: You cannot approve that.");
  });
});
