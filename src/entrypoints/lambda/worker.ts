import { driveGrant } from "../../app/sweep.js";
import { buildLambdaContext, type LambdaContext } from "./context.js";

let context: Promise<LambdaContext> | undefined;

/** Invoked asynchronously by the Slack function: provisions (or revokes) one grant, with all the polling that takes. */
export async function handler(event: { grantId?: unknown }): Promise<{ ok: boolean }> {
  context ??= buildLambdaContext("worker");
  const { deps, log } = await context;
  if (typeof event.grantId !== "string") {
    log.error("worker event without a grant id", { event: JSON.stringify(event).slice(0, 200) });
    return { ok: false };
  }
  const ok = await driveGrant(deps, event.grantId);
  const grant = await deps.store.get(event.grantId);
  log.info("worker done", { grantId: event.grantId, status: grant?.status, ok });
  return { ok };
}
