import { deliverNotices } from "../../app/deliver.js";
import type { AppDeps } from "../../app/deps.js";
import { driveGrant } from "../../app/sweep.js";
import { buildLambdaContext, type LambdaOverrides } from "./context.js";

export type WorkerEvent = { grantId?: unknown; notices?: unknown };
type WorkerHandler = (event: WorkerEvent) => Promise<{ ok: boolean }>;

/** Built on the first event; a failed build (secret or config unreadable) is tried again on the next. */
let ready: Promise<WorkerHandler> | undefined;

/** Builds the worker's adapters once per cold start; tests pass overrides to run it against local fakes. */
export async function buildWorkerHandler(overrides: LambdaOverrides = {}): Promise<WorkerHandler> {
  // The worker sends notices itself at the end of each invocation.
  const { deps, log } = await buildLambdaContext("worker", {
    notices: () => ({ kick: async () => {} }),
    ...overrides,
  });
  return async (event) => {
    if (event.notices === true) {
      await deliverAll(deps);
      return { ok: true };
    }
    if (typeof event.grantId !== "string") {
      log.error("worker event without a grant id", { event: JSON.stringify(event).slice(0, 200) });
      return { ok: false };
    }
    const ok = await driveGrant(deps, event.grantId);
    const grant = await deps.store.get(event.grantId);
    log.info("worker done", { grantId: event.grantId, status: grant?.status, ok });
    await deliverAll(deps);
    return { ok };
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
export async function handler(event: WorkerEvent): Promise<{ ok: boolean }> {
  ready ??= buildWorkerHandler().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  const handle = await ready;
  return handle(event);
}
