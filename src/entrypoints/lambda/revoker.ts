import { randomBytes } from "node:crypto";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { type EngineReport, runEngine } from "../../app/engine.js";
import type { Logger } from "../../app/ports.js";
import { reportOverdue } from "../../app/sweep.js";
import { buildLambdaContext, deadlineOf, type InvocationContext, type LambdaOverrides } from "./context.js";

/** A grant's one-time wake-up (`at`: when it falls due), or the one-minute sweep. */
export type RevokerEvent = { grantId: string; at?: number } | { sweep: true };
type RevokerHandler = (event: RevokerEvent, context?: InvocationContext) => Promise<RevokerResult>;
export type RevokerResult = EngineReport & { ok: boolean; overdue?: number };

/** Built on the first event; a failed build (config unreadable) is tried again on the next. */
let ready: Promise<RevokerHandler> | undefined;

/**
 * Builds the revoker once per cold start. Every invocation runs the expiry engine: it holds the one lease and
 * drives what falls due, or, woken for a grant another instance covers, ends at once. The sweep first counts the
 * overdue grants from the index, so the alarm sees a backlog even when the pass cannot finish. Nothing here
 * reads the Slack secret: notices go to the worker.
 */
export async function buildRevokerHandler(overrides: LambdaOverrides = {}): Promise<RevokerHandler> {
  const ctx = await buildLambdaContext("revoker", overrides);
  const { deps, log } = ctx;
  return async (event, context) => {
    log.addContext(context);
    const holder = `revoker-${randomBytes(6).toString("hex")}`;
    let overdue: number | undefined;
    if ("sweep" in event) {
      overdue = await reportOverdue(deps);
    }
    const report = await runEngine(deps, {
      leases: ctx.leases,
      holder,
      deadline: deadlineOf(ctx, context),
      continueLater: overrides.continueLater ?? (() => invokeSelf(log)),
      ...("grantId" in event ? { grantId: event.grantId } : {}),
      ...overrides.engine,
    });
    log.info("engine done", { ...report, ...("grantId" in event ? { grantId: event.grantId } : {}) });
    // Nothing is due anywhere: the notices recorded meanwhile still reach the worker.
    if (report.held) await deps.notices.kick();
    return { ...report, ok: report.errors === 0, ...(overdue === undefined ? {} : { overdue }) };
  };
}

/** Starts another revoker run at once (asynchronously): a backlog left at the deadline goes on without a pause. */
async function invokeSelf(log: Logger): Promise<void> {
  const self = process.env.REVOKER_ARN;
  if (!self) return;
  try {
    lambda ??= new LambdaClient({});
    await lambda.send(
      new InvokeCommand({
        FunctionName: self,
        InvocationType: "Event",
        Payload: new TextEncoder().encode(JSON.stringify({ sweep: true })),
      }),
    );
  } catch (error) {
    // The next sweep picks the backlog up within a minute.
    log.warn("revoker not invoked to go on with the backlog", { error: String(error) });
  }
}

let lambda: LambdaClient | undefined;

/** Invoked by a grant's one-time schedules ({grantId, at}) and by the one-minute rule ({sweep: true}). */
export async function handler(event: RevokerEvent, context?: InvocationContext): Promise<RevokerResult> {
  ready ??= buildRevokerHandler().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  const handle = await ready;
  return handle(event, context);
}
