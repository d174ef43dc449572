import {
  DEFAULT_INSTANCE,
  type IdentityCenterSimulator,
  type SimUser,
} from "../../src/sim/identity-center/index.js";
import { PROD } from "./example-config.js";
import { type RunningSimulator, startSimulator } from "./ic.js";

/** What the simulator's /_sim/state answers. */
export type SimSnapshot = ReturnType<IdentityCenterSimulator["snapshot"]>;
/** The instance ARN every simulator answers for unless seeded otherwise. */
export const InstanceArn = DEFAULT_INSTANCE.instanceArn;
/** The identity store id every simulator answers for unless seeded otherwise. */
export const IdentityStoreId = DEFAULT_INSTANCE.identityStoreId;

/** A running simulator holding PROD, a ReadOnly permission set and the user alice. */
export interface SeededSimulator {
  ic: RunningSimulator;
  alice: SimUser;
  psArn: string;
}

/** Starts a simulator with what most simulator tests need; the caller closes `ic`. */
export async function startSeededSimulator(): Promise<SeededSimulator> {
  const ic = await startSimulator();
  ic.sim.addAccount({ id: PROD });
  const psArn = ic.sim.addPermissionSet({ name: "ReadOnly", description: "read only" }).arn;
  const alice = ic.sim.addUser({ userName: "alice", emails: ["Alice@Example.com"] });
  return { ic, alice, psArn };
}
