import { randomBytes } from "node:crypto";
import { deliverNotices } from "../../app/deliver.js";
import type { AppDeps } from "../../app/deps.js";
import { runEngine } from "../../app/engine.js";
import { buildLambdaContext, deadlineOf, type InvocationContext, type LambdaOverrides } from "./context.js";
import { slackWork } from "./slack-work.js";

export type WorkerEvent = { grantId?: unknown; notices?: unknown; slack?: unknown };
type WorkerHandler = (event: WorkerEvent, context?: InvocationContext) => Promise<{ ok: boolean }>;

/** Built on the first event; a failed build (secret or config unreadable) is tried again on the next. */
let ready: Promise<WorkerHandler> | undefined;

/** Builds the worker's adapters once per cold start; tests pass overrides to run it against local fakes. */
export async function buildWorkerHandler(overrides: LambdaOverrides = {}): Promise<WorkerHandler> {
  // The worker sends notices itself at the end of each invocation.
  const ctx = await buildLambdaContext("worker", {
    notices: () => ({ kick: async () => {} }),
    ...overrides,
  });
  const { deps, log } = ctx;
  // Requests the Slack function answered and handed on: their listeners run here past their ack.
  const slack = slackWork(ctx, {
    jobs: overrides.jobs === undefined ? undefined : deps.jobs,
    after: () => deliverAll(deps),
  });
  return async (event, context) => {
    log.addContext(context);
    if (event.slack !== undefined) return slack(event.slack);
    if (event.notices === true) {
      await deliverAll(deps);
      return { ok: true };
    }
    if (typeof event.grantId !== "string") {
      log.error("worker event without a grant id", { event: JSON.stringify(event).slice(0, 200) });
      return { ok: false };
    }
    // The grant goes to the engine (this instance, or the one holding the lease); Slack is told meanwhile.
    const [report] = await Promise.all([
      runEngine(deps, {
        leases: ctx.leases,
        holder: `worker-${randomBytes(6).toString("hex")}`,
        deadline: deadlineOf(ctx, context),
        grantId: event.grantId,
        ...overrides.engine,
      }),
      deliverAll(deps),
    ]);
    const grant = await deps.store.get(event.grantId);
    log.info("worker done", { grantId: event.grantId, status: grant?.status, ...report });
    await deliverAll(deps);
    return { ok: report.errors === 0 };
  };
}

/** Delivers due notices page by page, for at most a minute. */
async function deliverAll(deps: AppDeps): Promise<void> {
  const until = Date.now() + 60_000;
  while ((await deliverNotices(deps)).more && Date.now() < until) {
    // Another page is due right away.
  }
}

/** Invoked asynchronously by the Slack function: provisions (or revokes) one grant, with all the polling that takes. */
export async function handler(event: WorkerEvent, context?: InvocationContext): Promise<{ ok: boolean }> {
  ready ??= buildWorkerHandler().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  const handle = await ready;
  return handle(event, context);
}
