import { describe, expect, it } from "vitest";
import { revokeGrant } from "../../../src/app/revoke.js";
import { sessionSecondsOf } from "../../../src/app/sessions.js";
import { sweepDue } from "../../../src/app/sweep.js";
import { type Harness, harness, PEOPLE } from "../../support/app-harness.js";
import { ADMIN } from "../../support/example-config.js";
import { prodAdminAsk, requestApproved } from "../../support/use-cases.js";

const { dev } = PEOPLE;

const activeGrant = (h: Harness) => requestApproved(h, prodAdminAsk("INC-5"));

describe("sessions that outlive revocation, in the requester's messages", () => {
  it("gives the activation and end-of-grant messages the permission set's session duration, read once", async () => {
    const h = harness();
    h.identity.sessionDurations.set(ADMIN, "PT2H");
    const id = await activeGrant(h);
    await revokeGrant(h.deps, dev.slackId, id);
    const told = h.chat.notices.filter((n) => n.grant.id === id);
    expect(told.map((n) => [n.notice, n.extras?.sessionSeconds])).toEqual([
      ["granted", 7200],
      ["revoked", 7200],
    ]);
    expect(h.identity.count("describe-permission-sets")).toBe(1);
  });

  it("tells the ending DM the session duration read at activation and asks Identity Center nothing", async () => {
    const h = harness();
    h.identity.sessionDurations.set(ADMIN, "PT2H");
    const id = await requestApproved(h, { ...prodAdminAsk("INC-5"), durationSeconds: 3 * 3600 });
    const activated = await h.deps.store.get(id);
    // Past the hour a read is cached for, with Identity Center saying otherwise now.
    h.identity.sessionDurations.set(ADMIN, "PT4H");
    h.clock.advance(2 * 3600_000);

    await revokeGrant(h.deps, dev.slackId, id);

    expect(activated?.sessionSeconds).toBe(7200);
    const revoked = h.chat.notices.find((n) => n.grant.id === id && n.notice === "revoked");
    expect(revoked?.extras?.sessionSeconds).toBe(7200);
    expect(h.identity.count("describe-permission-sets")).toBe(1);
  });

  it("sends the DMs without a session time when Identity Center could not say at activation", async () => {
    const h = harness();
    const id = await activeGrant(h);

    await revokeGrant(h.deps, dev.slackId, id);

    const told = h.chat.notices.filter((n) => n.grant.id === id);
    expect(told.map((n) => [n.notice, n.extras?.sessionSeconds])).toEqual([
      ["granted", undefined],
      ["revoked", undefined],
    ]);
    expect(h.identity.count("describe-permission-sets")).toBe(1);
  });

  it("activates without the session time when its read hangs, counting access from before the wait", async () => {
    const h = harness();
    h.identity.describePermissionSets = () => new Promise(() => {});
    const before = h.clock.now();
    // The clock moves on while the activation waits for the read (at most SESSION_WAIT_MS of real time).
    const moving = setTimeout(() => h.clock.advance(30_000), 200);

    const id = await activeGrant(h);

    clearTimeout(moving);
    const grant = await h.deps.store.get(id);
    expect(grant?.status).toBe("active");
    expect(grant?.sessionSeconds).toBeUndefined();
    expect(grant?.activatedAt).toBe(before);
    const granted = h.chat.notices.find((n) => n.grant.id === id && n.notice === "granted");
    expect(granted?.extras?.sessionSeconds).toBeUndefined();
  });

  it("activates without the session time when Identity Center refuses the read, and logs it", async () => {
    const h = harness();
    h.identity.describePermissionSets = () => Promise.reject(new Error("AccessDeniedException"));

    const id = await activeGrant(h);

    expect((await h.deps.store.get(id))?.status).toBe("active");
    expect((await h.deps.store.get(id))?.sessionSeconds).toBeUndefined();
    expect(h.log.lines.map((line) => line.msg)).toContain(
      "session duration not read; the DMs say sessions may outlast it without a time",
    );
  });

  it("reads a permission set's session duration once for activations that ask at the same time", async () => {
    const h = harness();
    h.identity.sessionDurations.set(ADMIN, "PT2H");

    const seconds = await Promise.all(Array.from({ length: 20 }, () => sessionSecondsOf(h.deps, ADMIN)));

    expect(new Set(seconds)).toEqual(new Set([7200]));
    expect(h.identity.count("describe-permission-sets")).toBe(1);
  });

  it("offers Extend in the expiry reminder for what the rule still allows", async () => {
    const h = harness();
    const id = await activeGrant(h);
    h.clock.advance(50 * 60_000);
    await sweepDue(h.deps);
    const reminder = h.chat.notices.find((n) => n.grant.id === id && n.notice === "reminder");
    expect(reminder?.extras).toEqual({ extendBySeconds: 3600 });
  });
});
