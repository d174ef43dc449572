import { describe, expect, it } from "vitest";
import { SlackRateLimited } from "../../../src/adapters/slack/errors.js";
import { decideGrant } from "../../../src/app/decide.js";
import { deliverNotices, MAX_NOTICE_AGE_MS } from "../../../src/app/deliver.js";
import type { Metrics } from "../../../src/app/deps.js";
import { requestAccess } from "../../../src/app/request.js";
import { sweepDue } from "../../../src/app/sweep.js";
import { harness, PEOPLE } from "../../support/app-harness.js";
import { prodAdminAsk } from "../../support/use-cases.js";

const { dev, admin } = PEOPLE;
const prodAdmin = prodAdminAsk("INC-1");

function counting(): Metrics & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return { counts, count: (name, value = 1) => counts.set(name, (counts.get(name) ?? 0) + value) };
}

async function activeWhileSlackIsDown(h: ReturnType<typeof harness>, durationSeconds = 3600) {
  h.chat.down = true;
  const grant = await requestAccess(h.deps, dev.slackId, { ...prodAdmin, durationSeconds });
  await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
  return grant.id;
}

describe("notice sender", () => {
  it("never holds up a state change while Slack is down, and delivers everything once it is back", async () => {
    const h = harness();
    const id = await activeWhileSlackIsDown(h);
    expect((await h.store.get(id))?.status).toBe("active");
    expect(h.chat.posted).toHaveLength(0);
    expect(h.chat.noticesFor(id)).toEqual([]);
    h.chat.down = false;
    h.clock.advance(60_000);
    while ((await deliverNotices(h.deps)).sent > 0) h.clock.advance(2_000);
    expect(h.chat.posted).toHaveLength(1);
    expect(h.chat.noticesFor(id)).toEqual(["granted"]);
    expect((await h.store.get(id))?.message?.channel).toBe("C0PRODADMIN");
    expect(h.chat.updates.at(-1)?.grant.status).toBe("active");
  });

  it("revokes on time while every Slack call fails, and tells the requester afterwards", async () => {
    const h = harness();
    const id = await activeWhileSlackIsDown(h, 1800);
    h.clock.advance(1800_000);
    await sweepDue(h.deps);
    expect((await h.store.get(id))?.status).toBe("ended");
    h.chat.down = false;
    // Failing notices back off to at most five minutes between tries.
    for (let i = 0; i < 4; i++) {
      h.clock.advance(5 * 60_000);
      await deliverNotices(h.deps);
    }
    expect(h.chat.noticesFor(id)).toEqual(["granted", "expired"]);
  });

  it("waits out Slack's Retry-After before trying a rate-limited notice again", async () => {
    const h = harness();
    h.chat.failures.push(new SlackRateLimited("chat.postMessage", 30));
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    expect(h.chat.posted).toHaveLength(0);
    h.clock.advance(20_000);
    await deliverNotices(h.deps);
    expect(h.chat.posted).toHaveLength(0);
    h.clock.advance(11_000);
    await deliverNotices(h.deps);
    expect(h.chat.posted.map((p) => p.grant.id)).toEqual([grant.id]);
  });

  it("drops a notice it could not deliver for an hour, with one log line and one metric", async () => {
    const h = harness();
    const metrics = counting();
    h.deps.metrics = metrics;
    h.chat.down = true;
    await requestAccess(h.deps, dev.slackId, prodAdmin);
    for (let minutes = 0; minutes <= 70; minutes += 5) {
      h.clock.advance(5 * 60_000);
      await deliverNotices(h.deps);
    }
    expect(await h.store.dueNotices(h.clock.now() + MAX_NOTICE_AGE_MS)).toEqual([]);
    const dropped = h.store.allNotices().filter((n) => n.state === "dropped");
    expect(dropped.length).toBeGreaterThan(0);
    expect(h.log.lines.filter((l) => l.msg.includes("dropped"))).toHaveLength(dropped.length);
    expect(metrics.counts.get("notice-dropped")).toBe(dropped.length);
  });

  it("sends each notice once when two senders run at once", async () => {
    const h = harness();
    await activeWhileSlackIsDown(h);
    h.chat.down = false;
    h.clock.advance(60_000);
    for (let i = 0; i < 4; i++) {
      await Promise.all([deliverNotices(h.deps), deliverNotices(h.deps)]);
      h.clock.advance(2_000);
    }
    expect(h.chat.posted).toHaveLength(1);
    // Home tabs are counted apart: one home notice publishes the tab of everyone the change concerns.
    const sent = h.store.allNotices().filter((n) => n.state === "sent" && n.body.kind !== "home");
    expect(h.chat.notices.length + h.chat.posted.length + h.chat.audits.length + h.chat.updates.length).toBe(
      sent.length,
    );
  });

  it("re-renders an approval message only once it has been posted", async () => {
    const h = harness();
    h.chat.failures.push(new Error("slack is slow"));
    const grant = await requestAccess(h.deps, dev.slackId, prodAdmin);
    await decideGrant(h.deps, admin.slackId, grant.id, { kind: "approve" });
    expect(h.chat.updates).toHaveLength(0);
    h.clock.advance(5_000);
    for (let i = 0; i < 3; i++) {
      await deliverNotices(h.deps);
      h.clock.advance(2_000);
    }
    expect(h.chat.posted).toHaveLength(1);
    expect(h.chat.updates.at(-1)?.grant.status).toBe("active");
  });
});
