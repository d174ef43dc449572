import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { deliverNotices } from "../../../src/app/deliver.js";
import type { Metrics } from "../../../src/app/deps.js";
import { handleCommand } from "../../../src/app/index.js";
import { recordRefusal } from "../../../src/app/refusals.js";
import { requestAccess } from "../../../src/app/request.js";
import { harness, PEOPLE } from "../../support/app-harness.js";
import { exampleConfig } from "../../support/example-config.js";

const { dev, outsider } = PEOPLE;
const SECOND = 1_000;

function counting(): Metrics & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return { counts, count: (name, value = 1) => counts.set(name, (counts.get(name) ?? 0) + value) };
}

describe("refusals in the audit channel", () => {
  it("posts an unauthorised click with who and why, and counts it", async () => {
    const h = harness();
    const metrics = counting();
    h.deps.metrics = metrics;
    const grant = await requestAccess(h.deps, dev.slackId, {
      account: "prod",
      permissionSet: "ReadOnly",
      durationSeconds: 3600,
      reason: "INC-1",
    });
    await expect(decideGrant(h.deps, outsider.slackId, grant.id, { kind: "approve" })).rejects.toThrow();
    expect(h.chat.refusals).toEqual([
      {
        channel: "C0AUDIT",
        actor: outsider.slackId,
        heldBack: 0,
        event: expect.objectContaining({
          type: "refused",
          grantId: grant.id,
          reason: expect.stringContaining("approve"),
        }),
      },
    ]);
    expect(metrics.counts.get("refused")).toBe(1);
  });

  it("posts at most once per person a minute, then the count of those held back", async () => {
    const h = harness();
    const metrics = counting();
    h.deps.metrics = metrics;
    for (let i = 0; i < 8; i++) {
      await expect(handleCommand(h.deps, outsider.slackId, `prod ReadOnly 4x try ${i}`)).rejects.toThrow();
      h.clock.advance(5 * SECOND);
    }
    expect(h.chat.refusals.map((r) => [r.actor, r.heldBack, r.event !== undefined])).toEqual([
      [outsider.slackId, 0, true],
    ]);
    // Someone else is not held back by it.
    await expect(handleCommand(h.deps, dev.slackId, "prod ReadOnly 4x")).rejects.toThrow();
    expect(h.chat.refusals.at(-1)?.actor).toBe(dev.slackId);
    h.clock.advance(30 * SECOND);
    await deliverNotices(h.deps);
    expect(h.chat.refusals.filter((r) => r.actor === outsider.slackId)).toEqual([
      expect.objectContaining({ heldBack: 0 }),
      { channel: "C0AUDIT", actor: outsider.slackId, heldBack: 7 },
    ]);
    expect(metrics.counts.get("refused")).toBe(9);
    expect((await h.store.auditBetween({ from: 0, to: h.clock.now() })).items).toHaveLength(9);
  });

  it("puts the count held back on the person's next refusal when nothing flushed it", async () => {
    const h = harness();
    await recordRefusal(h.deps, outsider.slackId, "first");
    await recordRefusal(h.deps, outsider.slackId, "second");
    await recordRefusal(h.deps, outsider.slackId, "third");
    h.clock.advance(61 * SECOND);
    await recordRefusal(h.deps, outsider.slackId, "fourth");
    expect(h.chat.refusals.map((r) => [r.event?.reason, r.heldBack])).toEqual([
      ["first", 0],
      ["fourth", 2],
    ]);
  });

  it("posts nothing without an audit channel, and survives Slack failing", async () => {
    const quiet = harness({ ...exampleConfig(), slack: { approvalChannel: "C0APPROVALS" } });
    await recordRefusal(quiet.deps, outsider.slackId, "no channel");
    expect(quiet.chat.refusals).toEqual([]);
    const down = harness();
    down.chat.down = true;
    await recordRefusal(down.deps, outsider.slackId, "slack is down");
    expect((await down.store.auditBetween({ from: 0, to: down.clock.now() })).items).toHaveLength(1);
    expect(down.log.lines.some((l) => l.msg.includes("refusal not posted"))).toBe(true);
  });
});
