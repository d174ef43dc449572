import { describe, expect, it } from "vitest";
import { handleCommand } from "../../../src/app/command.js";
import { driveGrant } from "../../../src/app/sweep.js";
import { RequestRefused } from "../../../src/domain/errors.js";
import { harness, PEOPLE } from "../../support/app-harness.js";
import { requestByCommand as request } from "../../support/use-cases.js";

const { dev } = PEOPLE;
const AT_14_BERLIN = Date.UTC(2026, 10, 27, 13, 0);

describe("a request with a scheduled start", () => {
  it("reads the start in the requester's Slack time zone and waits for approval as usual", async () => {
    const h = harness();
    const grant = await request(h, "prod AdministratorAccess 2h at 14:00 INC-42 rollout");
    expect(grant).toMatchObject({ status: "pending", startsAt: AT_14_BERLIN, durationSeconds: 7200 });
    expect(h.scheduler.scheduled.get(grant.id)).toBe(grant.timeoutAt);
    expect((await h.store.auditOf(grant.id))[0]?.detail).toMatchObject({ startsAt: AT_14_BERLIN });
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
