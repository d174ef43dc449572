import {
  DEFAULT_INSTANCE,
  type IdentityCenterSimulator,
  type SimUser,
} from "../../src/sim/identity-center/index.js";
import { PROD, READ_ONLY } from "./example-config.js";
import { simulatorForEachTest } from "./hooks.js";
import { type RunningSimulator, startSimulator } from "./ic.js";

/** What the simulator's /_sim/state answers. */
export type SimSnapshot = ReturnType<IdentityCenterSimulator["snapshot"]>;
/** The instance ARN every simulator answers for unless seeded otherwise. */
export const InstanceArn = DEFAULT_INSTANCE.instanceArn;
/** The identity store id every simulator answers for unless seeded otherwise. */
export const IdentityStoreId = DEFAULT_INSTANCE.identityStoreId;

/** The user the simulator tests act for; her email is mixed case, as people type it. */
const alice: SimUser = { id: "u-alice", userName: "alice", emails: ["Alice@Example.com"] };
/** The ARN of the ReadOnly permission set the simulator tests assign. */
const psArn = READ_ONLY;

/** A running simulator holding PROD, a ReadOnly permission set and the user alice. */
export interface SeededSimulator {
  ic: RunningSimulator;
  alice: SimUser;
  psArn: string;
}

/** Starts a simulator with what most simulator tests need; the caller closes `ic`. */
export async function startSeededSimulator(): Promise<SeededSimulator> {
  const ic = await startSimulator({
    seed: {
      accounts: [{ id: PROD }],
      permissionSets: [{ arn: psArn, name: "ReadOnly", description: "read only" }],
      users: [alice],
    },
  });
  return { ic, alice, psArn };
}

/** What each simulator test of a file works on: a fresh simulator seeded as startSeededSimulator does. */
export function seededSimulatorForEachTest(): SeededSimulator {
  return { ic: simulatorForEachTest(async () => (await startSeededSimulator()).ic), alice, psArn };
}
