import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACTIONS } from "../../src/adapters/slack/action-ids.js";
import { requestAccess } from "../../src/app/index.js";
import { interactionBody, signBody } from "../../src/sim/slack/requests.js";
import { type Harness, harness, PEOPLE } from "../support/app-harness.js";
import { modalProblems } from "../support/block-limits.js";
import { blockActionPayload, deliver, SIGNING_SECRET, signedBlockAction } from "../support/slack.js";
import { type RunningSlackApp, startSlackApp } from "../support/slack-app.js";
import { blockActions, slashCommands, viewSubmissions, watchedStore } from "../support/slack-fuzz.js";

/** Payloads per handler; a fixed seed so a failure is the same on every machine. */
const RUNS = 1000;
const SEED = 20_261_127;

describe("Slack handlers fed malformed payloads through the real receiver", () => {
  let h: Harness;
  let app: RunningSlackApp;
  const writes: string[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  let existing: string[] = [];
  let before = "";
  /** Identity Center calls the seeding made. */
  let seeded: unknown[] = [];

  const snapshot = async () =>
    JSON.stringify({
      grants: await Promise.all(existing.map((id) => h.store.get(id))),
      assignments: [...h.identity.assignments].sort(),
      scheduled: [...h.scheduler.scheduled.entries()].sort(),
    });

  beforeAll(async () => {
    process.on("unhandledRejection", onRejection);
    h = harness();
    const ask = { account: "prod", permissionSet: "AdministratorAccess", reason: "INC-1" };
    const pending = await requestAccess(h.deps, PEOPLE.dev.slackId, ask);
    const active = await requestAccess(h.deps, PEOPLE.dev.slackId, {
      account: "staging",
      permissionSet: "ReadOnly",
      reason: "INC-2",
    });
    existing = [pending.id, active.id];
    before = await snapshot();
    seeded = h.identity.calls.filter((call) => call.op === "create" || call.op === "delete");
    h.deps.store = watchedStore(h.store, writes);
    app = await startSlackApp(h);
  });

  afterAll(async () => {
    process.off("unhandledRejection", onRejection);
    await app.stop();
  });

  /** Delivers a signed body and checks the answer: an ack (200) or a client error, never a server error. */
  async function answered(body: string): Promise<number> {
    const answer = await deliver(app.events, signBody(SIGNING_SECRET, body));
    const { status } = answer;
    expect(status === 200 || (status >= 400 && status < 500), `HTTP ${status}`).toBe(true);
    const view = answer.body.startsWith("{")
      ? (JSON.parse(answer.body) as { view?: object }).view
      : undefined;
    if (view) expect(modalProblems(view as Record<string, unknown>)).toEqual([]);
    return status;
  }

  /** Delivers RUNS generated requests (from `seed`), each checked by `answered`; their HTTP statuses, counted. */
  async function answersTo<T>(
    requests: fc.Arbitrary<T>,
    bodyOf: (request: T) => string,
    seed: number,
  ): Promise<Map<number, number>> {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        const status = await answered(bodyOf(request));
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
      { numRuns: RUNS, seed },
    );
    return statuses;
  }

  /** Waits for listeners still running after their ack, then checks nothing changed. */
  async function nothingChanged(): Promise<void> {
    await vi.waitFor(async () => expect(await snapshot()).toBe(before), { timeout: 5_000 });
    expect(writes).toEqual([]);
    expect(h.identity.calls.filter((call) => call.op === "create" || call.op === "delete")).toEqual(seeded);
    expect(rejections).toEqual([]);
    const views = [...app.slack.callsTo("views.open"), ...app.slack.callsTo("views.update")];
    for (const call of views) expect(modalProblems(call.args.view as Record<string, unknown>)).toEqual([]);
  }

  it("answers 1,000 malformed slash commands without a crash or a change", { timeout: 120_000 }, async () => {
    const statuses = await answersTo(
      slashCommands(existing),
      (fields) => new URLSearchParams(fields).toString(),
      SEED,
    );
    await nothingChanged();
    console.info("slash command answers by HTTP status", Object.fromEntries(statuses));
  });

  it("answers 1,000 malformed block_actions without a crash or a change", { timeout: 120_000 }, async () => {
    const statuses = await answersTo(blockActions(existing), interactionBody, SEED + 1);
    await nothingChanged();
    console.info("block_actions answers by HTTP status", Object.fromEntries(statuses));
  });

  it("answers 1,000 malformed view_submissions without a crash or a change", {
    timeout: 120_000,
  }, async () => {
    const statuses = await answersTo(viewSubmissions(existing), interactionBody, SEED + 2);
    await nothingChanged();
    console.info("view_submission answers by HTTP status", Object.fromEntries(statuses));
  });

  it("still approves a well-formed click from an approver afterwards", async () => {
    const [pending] = existing;
    const click = blockActionPayload({
      actionId: ACTIONS.approve,
      value: pending,
      userId: PEOPLE.admin.slackId,
    });
    expect((await deliver(app.events, signedBlockAction(SIGNING_SECRET, click))).status).toBe(200);
    await vi.waitFor(async () => expect((await h.store.get(pending ?? ""))?.status).not.toBe("pending"));
    expect(rejections).toEqual([]);
    const views = [...app.slack.callsTo("views.open"), ...app.slack.callsTo("views.update")];
    for (const call of views) expect(modalProblems(call.args.view as Record<string, unknown>)).toEqual([]);
  });
});
