import {
  IdentityCenterAdapter,
  type IdentityCenterAdapterOptions,
} from "../../src/adapters/identity-center/index.js";
import type { AssignmentTarget, AssignmentTuple } from "../../src/domain/grant.js";
import type { SimPermissionSet, SimUser } from "../../src/sim/identity-center/index.js";
import { PROD } from "./example-config.js";
import { type RunningSimulator, startSimulator } from "./ic.js";

/** A running simulator holding PROD, two permission sets and the user alice. */
export interface SeededIdentityCenter {
  ic: RunningSimulator;
  alice: SimUser;
  readOnly: SimPermissionSet;
  admin: SimPermissionSet;
}

/** Starts a simulator with what the adapter tests need; the caller closes `ic`. */
export async function startSeededIdentityCenter(): Promise<SeededIdentityCenter> {
  const ic = await startSimulator();
  ic.sim.addAccount({ id: PROD, name: "Production" });
  const readOnly = ic.sim.addPermissionSet({ name: "ReadOnly" });
  const admin = ic.sim.addPermissionSet({ name: "AdministratorAccess" });
  const alice = ic.sim.addUser({ userName: "alice", emails: ["alice@example.com"], displayName: "Alice" });
  return { ic, alice, readOnly, admin };
}

/** An adapter with small backoffs and a deterministic jitter, over the real SDK clients. */
export function adapterFor(
  ic: RunningSimulator,
  overrides: Partial<IdentityCenterAdapterOptions> = {},
): IdentityCenterAdapter {
  return new IdentityCenterAdapter({
    ssoAdmin: ic.ssoAdmin,
    identityStore: ic.identityStore,
    random: () => 0.5,
    poll: { initialMs: 5, maxMs: 20, tickMs: 5, timeoutMs: 10_000 },
    retry: { maxAttempts: 12, baseMs: 4, maxMs: 40 },
    ...overrides,
  });
}

/** The user's assignment target in PROD. */
export function targetOf(user: SimUser, ps: SimPermissionSet): AssignmentTarget {
  return { userId: user.id, accountId: PROD, permissionSetArn: ps.arn };
}

/** Far enough ahead that polling ends on the operation's outcome, not on the caller's deadline. */
export const later = () => Date.now() + 10_000;

/** The SSO Admin calls the simulator saw, by operation, optionally only those with an outcome. */
export function callsOf(ic: RunningSimulator, operation: string, outcome?: string) {
  return ic.sim
    .calls()
    .filter((c) => c.operation === operation && (outcome === undefined || c.outcome === outcome));
}

/** A tuple the bot is deleting, held by nobody; override what the test is about. */
export function tuple(t: AssignmentTarget, overrides: Partial<AssignmentTuple> = {}): AssignmentTuple {
  return { target: t, state: "deleting", holders: [], preExisting: false, version: 3, ...overrides };
}

/** The simulator's record of a user assignment to the target. */
export function userAssignment(t: AssignmentTarget) {
  return {
    principalType: "USER" as const,
    principalId: t.userId,
    accountId: t.accountId,
    permissionSetArn: t.permissionSetArn,
  };
}
