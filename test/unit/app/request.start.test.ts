import { describe, expect, it } from "vitest";
import { handleCommand } from "../../../src/app/command.js";
import { decideGrant } from "../../../src/app/decide.js";
import { revokeGrant } from "../../../src/app/revoke.js";
import { driveGrant, isOverdue } from "../../../src/app/sweep.js";
import { RequestRefused } from "../../../src/domain/errors.js";
import type { Grant } from "../../../src/domain/grant.js";
import { harness, PEOPLE } from "../../support/app-harness.js";
import { requestByCommand as request } from "../../support/use-cases.js";

const { dev, admin } = PEOPLE;
const HOUR = 3600_000;
/** The harness clock's start: Friday 27 November 2026, 09:00 UTC, 10:00 in Berlin (the requester's zone). */
const NOW = Date.UTC(2026, 10, 27, 9, 0);
const AT_14_BERLIN = Date.UTC(2026, 10, 27, 13, 0);

describe("a request with a scheduled start", () => {
  it("reads the start in the requester's Slack time zone and waits for approval as usual", async () => {
    const h = harness();
    const grant = await request(h, "prod AdministratorAccess 2h at 14:00 INC-42 rollout");
    expect(grant).toMatchObject({ status: "pending", startsAt: AT_14_BERLIN, durationSeconds: 7200 });
    expect(h.scheduler.scheduled.get(grant.id)).toBe(grant.timeoutAt);
    expect((await h.store.auditOf(grant.id))[0]?.detail).toMatchObject({ startsAt: AT_14_BERLIN });
  });

  it("creates nothing when approved before the start, and is woken at the start by the scheduler", async () => {
    const h = harness();
    const grant = await request(h, "prod AdministratorAccess 2h at 14:00 INC-42");
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    const waiting = await h.store.get(grant.id);
    expect(waiting).toMatchObject({ status: "provisioning", dueAt: AT_14_BERLIN });
    expect(h.scheduler.scheduled.get(grant.id)).toBe(AT_14_BERLIN);
    await driveGrant(h.deps, grant.id);
    expect(h.identity.count("create")).toBe(0);
    h.clock.set(AT_14_BERLIN - 60_000);
    expect(isOverdue((await h.store.get(grant.id)) as Grant, h.clock.now())).toBe(false);
  });

  it("grants at the start and counts the duration from activation", async () => {
    const h = harness();
    const grant = await request(h, "prod AdministratorAccess 2h in 90m INC-42");
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    h.clock.set(NOW + 90 * 60_000 + 5_000);
    await driveGrant(h.deps, grant.id);
    const active = await h.store.get(grant.id);
    expect(active).toMatchObject({
      status: "active",
      activatedAt: h.clock.now(),
      expiresAt: h.clock.now() + 2 * HOUR,
    });
    expect(h.chat.noticesFor(grant.id)).toContain("granted");
  });

  it("waits for its start when the rule approves automatically", async () => {
    const h = harness();
    const grant = await request(h, "staging ReadOnly 1h at tomorrow 09:00 deploy");
    const start = Date.UTC(2026, 10, 28, 8, 0);
    expect(await h.store.get(grant.id)).toMatchObject({
      status: "provisioning",
      dueAt: start,
      startsAt: start,
    });
    expect(h.identity.count("create")).toBe(0);
    h.clock.set(start);
    await driveGrant(h.deps, grant.id);
    expect((await h.store.get(grant.id))?.status).toBe("active");
  });

  it("starts at once when it is approved after its start", async () => {
    const h = harness();
    const grant = await request(h, "prod AdministratorAccess 1h in 30m INC-42");
    h.clock.set(NOW + HOUR);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    expect((await h.store.get(grant.id))?.status).toBe("active");
  });

  it("ends a grant approved but not started when its requester revokes it, creating nothing", async () => {
    const h = harness();
    const grant = await request(h, "prod AdministratorAccess 1h at 14:00 INC-42");
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    await revokeGrant(h.deps, dev.slackId, grant.id);
    expect((await h.store.get(grant.id))?.status).toBe("ended");
    expect(h.identity.count("create")).toBe(0);
  });

  it.each([
    ["more than seven days ahead", "prod ReadOnly 1h in 8d x", "more than 7 days ahead"],
    ["already past today", "prod ReadOnly 1h at today 08:00 x", "already past"],
  ])("refuses a start %s, storing nothing", async (_what, text, message) => {
    const h = harness();
    await expect(handleCommand(h.deps, dev.slackId, text)).rejects.toThrow(RequestRefused);
    await expect(handleCommand(h.deps, dev.slackId, text)).rejects.toThrow(message);
    expect(await h.store.byRequester(dev.slackId)).toEqual([]);
  });

  it("reads the start in UTC for a requester whose time zone Slack does not give", async () => {
    const h = harness();
    h.chat.users.set(dev.slackId, { slackId: dev.slackId, email: dev.email });
    const grant = await request(h, "prod ReadOnly 1h at 14:00 x");
    expect(grant.startsAt).toBe(Date.UTC(2026, 10, 27, 14, 0));
  });
});
