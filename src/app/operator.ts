import { GrantNotFound, RequestRefused } from "../domain/errors.js";
import { type Grant, type GrantStatus, TERMINAL_STATUSES } from "../domain/grant.js";
import { normaliseGrantId } from "../domain/ids.js";
import type { AppDeps } from "./deps.js";
import { startRevocation } from "./revoke.js";
import { driveGrant } from "./sweep.js";
import { unplan } from "./timing.js";
import { apply } from "./write.js";

/** Who the audit trail names for what an operator does from the CLI. */
export const OPERATOR = "operator";
const REASON = "revoked by the operator";
/** How often the operator's command looks again while another driver finishes the grant. */
const LOOK_AGAIN_MS = 500;

export interface OperatorOutcome {
  before: GrantStatus;
  after: Grant;
}

/**
 * The operator's escape hatch: ends a grant in any open state. A pending request is cancelled; a provisioning,
 * active or revoking grant is revoked, deleting the assignment when the bot created it (a creation under way is
 * settled first). Waits up to `waitMs` for a driver that holds the grant to finish it.
 */
export async function endAsOperator(
  deps: AppDeps,
  typedId: string,
  options: { waitMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<OperatorOutcome> {
  const id = normaliseGrantId(typedId);
  if (!id)
    throw new RequestRefused(`'${typedId}' is not a grant id (eight letters and digits, e.g. k7m2x9qa)`);
  const grant = await deps.store.get(id);
  if (!grant) throw new GrantNotFound(id);
  const before = grant.status;
  if (TERMINAL_STATUSES.includes(before)) return { before, after: grant };
  if (before === "pending") {
    const announce = { requester: "cancelled" as const, message: true, audit: true };
    const { grant: cancelled } = await apply(deps, grant, { type: "cancel", by: OPERATOR }, { announce });
    await unplan(deps, cancelled);
    return { before, after: cancelled };
  }
  let current: Grant = grant;
  if (before === "active" || before === "provisioning") {
    current = await startRevocation(deps, grant, OPERATOR, REASON);
  } else if (current.trouble && (current.dueAt ?? 0) > deps.clock.now()) {
    // Backing off after failures: try again now rather than at the next retry.
    current = (await apply(deps, current, { type: "claim", until: deps.clock.now() })).grant;
  }
  await driveGrant(deps, current.id);
  return { before, after: await waitForEnd(deps, current.id, options) };
}

/** Every grant that is not over (the due index holds exactly those), for the operator's `grants` listing. */
export async function everyOpenGrant(deps: AppDeps): Promise<Grant[]> {
  const grants: Grant[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.due(Number.MAX_SAFE_INTEGER, cursor, 100);
    grants.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return grants;
}

/** Another driver may hold the grant (a running bot): give it up to `waitMs` to finish. */
async function waitForEnd(
  deps: AppDeps,
  id: string,
  options: { waitMs?: number; sleep?: (ms: number) => Promise<void> },
): Promise<Grant> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const until = Date.now() + (options.waitMs ?? 30_000);
  for (;;) {
    const latest = await deps.store.get(id);
    if (!latest) throw new GrantNotFound(id);
    if (TERMINAL_STATUSES.includes(latest.status) || Date.now() >= until) return latest;
    if ((latest.dueAt ?? 0) <= deps.clock.now()) await driveGrant(deps, id);
    await sleep(LOOK_AGAIN_MS);
  }
}
