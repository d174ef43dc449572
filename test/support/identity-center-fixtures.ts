import {
  IdentityCenterAdapter,
  type IdentityCenterAdapterOptions,
} from "../../src/adapters/identity-center/index.js";
import type { AssignmentTarget, AssignmentTuple } from "../../src/domain/grant.js";
import type { SimPermissionSet, SimUser } from "../../src/sim/identity-center/index.js";
import { ADMIN, PROD, READ_ONLY } from "./example-config.js";
import { simulatorForEachTest } from "./hooks.js";
import { type RunningSimulator, startSimulator } from "./ic.js";

/** The user the adapter tests act for. */
const alice: SimUser = {
  id: "u-alice",
  userName: "alice",
  emails: ["alice@example.com"],
  displayName: "Alice",
};
/** The permission set most adapter tests assign. */
const readOnly: SimPermissionSet = { arn: READ_ONLY, name: "ReadOnly" };
/** A second permission set, for what tells assignments apart. */
const admin: SimPermissionSet = { arn: ADMIN, name: "AdministratorAccess" };

/** A running simulator holding PROD, two permission sets and the user alice. */
export interface SeededIdentityCenter {
  ic: RunningSimulator;
  alice: SimUser;
  readOnly: SimPermissionSet;
  admin: SimPermissionSet;
}

/** Starts a simulator with what the adapter tests need; the caller closes `ic`. */
export async function startSeededIdentityCenter(): Promise<SeededIdentityCenter> {
  const ic = await startSimulator({
    seed: { accounts: [{ id: PROD, name: "Production" }], permissionSets: [readOnly, admin], users: [alice] },
  });
  return { ic, alice, readOnly, admin };
}

/**
 * What each adapter test of a file works on: a fresh simulator seeded with alice, ReadOnly and AdministratorAccess
 * in PROD, and adapters, targets and more users on it.
 */
export function identityCenterForEachTest() {
  const ic = simulatorForEachTest(async () => (await startSeededIdentityCenter()).ic);
  return {
    ic,
    alice,
    readOnly,
    admin,
    adapter: (overrides: Partial<IdentityCenterAdapterOptions> = {}) => adapterFor(ic, overrides),
    target: (user: SimUser, ps = readOnly) => targetOf(user, ps),
    /** `n` more users, named `<prefix><i>`. */
    users: (n: number, prefix: string): SimUser[] =>
      Array.from({ length: n }, (_, i) =>
        ic.sim.addUser({ userName: `${prefix}${i}`, emails: [`${prefix}${i}@x.test`] }),
      ),
  };
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

/** A tuple the bot is deleting, held by nobody; override what the test is about. */
export function tuple(t: AssignmentTarget, overrides: Partial<AssignmentTuple> = {}): AssignmentTuple {
  return { target: t, state: "deleting", holders: [], preExisting: false, version: 3, ...overrides };
}
