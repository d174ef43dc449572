import { type Input, SimError } from "./protocol.js";
import type { SimAssignment, SimFaults, SimOperation, SimRefusal, SimTupleRef } from "./types.js";

export const DEFAULT_FAULTS: SimFaults = {
  throttleShare: 0,
  seed: 1,
  maxOutstanding: 15,
  delayMs: 50,
  stuckTuples: [],
  failTuples: [],
  failOperations: [],
  refusals: [],
  answerDelayMs: 0,
  hangOperations: [],
  missingDeletion: "failed",
};

/** A copy that later changes to the faults (refusals counting down) do not reach. */
export function copyFaults(faults: SimFaults): SimFaults {
  return {
    ...faults,
    stuckTuples: faults.stuckTuples.map((t) => ({ ...t })),
    failTuples: faults.failTuples.map((t) => ({ ...t })),
    failOperations: [...faults.failOperations],
    refusals: faults.refusals.map((r) => ({ ...r, ...(r.tuple ? { tuple: { ...r.tuple } } : {}) })),
    hangOperations: [...faults.hangOperations],
  };
}

/** Whether the rule names this operation's tuple (and kind, when it names one). */
export function tupleMatches(
  rule: SimTupleRef,
  op: { kind: SimOperation["kind"]; assignment: SimAssignment },
) {
  const a = op.assignment;
  return (
    (rule.kind === undefined || rule.kind === op.kind) &&
    rule.principalId === a.principalId &&
    rule.accountId === a.accountId &&
    rule.permissionSetArn === a.permissionSetArn
  );
}

const STATUS: Record<string, number> = { InternalServerException: 500 };

/**
 * The refusal the faults hold for this call, if any, counting down a rule limited to `times` calls (a spent rule is
 * removed). A rule naming a tuple only matches calls whose input names the same principal, account and permission set.
 */
export function takeRefusal(faults: SimFaults, operation: string, input: Input): SimError | undefined {
  const index = faults.refusals.findIndex((r) => r.operation === operation && namesTuple(r, input));
  const rule = faults.refusals[index];
  if (!rule) return undefined;
  if (rule.times !== undefined) {
    rule.times -= 1;
    if (rule.times <= 0) faults.refusals.splice(index, 1);
  }
  return new SimError(
    rule.error,
    rule.message ?? `${operation} refused: ${rule.error} (injected)`,
    STATUS[rule.error],
  );
}

function namesTuple(rule: SimRefusal, input: Input): boolean {
  if (!rule.tuple) return true;
  return (
    input.PrincipalId === rule.tuple.principalId &&
    input.TargetId === rule.tuple.accountId &&
    input.PermissionSetArn === rule.tuple.permissionSetArn
  );
}
