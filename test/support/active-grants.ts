import type { GrantStore } from "../../src/app/ports.js";
import type { Grant } from "../../src/domain/grant.js";
import type { IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";
import { PROD, READ_ONLY } from "./example-config.js";
import { aGrant } from "./grant-builder.js";

/**
 * `count` active grants expiring at `expiresAt`, each with the assignment the bot created for it, in the store
 * and in the simulator: the state a revocation starts from, without going through Slack for each one.
 */
export async function seedActiveGrants(
  store: GrantStore,
  sim: IdentityCenterSimulator,
  count: number,
  expiresAt: number,
): Promise<Grant[]> {
  const grants: Grant[] = [];
  for (let n = 0; n < count; n++) {
    const userId = `u-seed-${n}-${Math.floor(Math.random() * 1e9)}`;
    const grant = aGrant({
      status: "active",
      version: 4,
      requester: { slackId: `U0SEED${n}`, email: `seed${n}@example.com`, userId },
      account: { id: PROD, alias: "prod", name: "Production" },
      permissionSet: { arn: READ_ONLY, name: "ReadOnly" },
      rule: "prod-admin",
      activatedAt: expiresAt - 3600_000,
      expiresAt,
      dueAt: expiresAt,
      decidedAt: expiresAt - 3600_000,
      reminded: true,
      preExisting: false,
    });
    await store.create(grant, []);
    const target = { userId, accountId: PROD, permissionSetArn: READ_ONLY };
    await store.saveTuple(
      { target, state: "present", holders: [grant.id], preExisting: false, version: 1 },
      undefined,
    );
    sim.addAssignment({
      principalType: "USER",
      principalId: userId,
      accountId: PROD,
      permissionSetArn: READ_ONLY,
    });
    grants.push(grant);
  }
  return grants;
}

/** `count` approved grants waiting for their assignment, due now: a burst of creations for the drivers. */
export async function seedApprovedGrants(store: GrantStore, count: number, now: number): Promise<Grant[]> {
  const grants: Grant[] = [];
  for (let n = 0; n < count; n++) {
    const userId = `u-new-${n}-${Math.floor(Math.random() * 1e9)}`;
    const grant = aGrant({
      status: "provisioning",
      version: 2,
      requester: { slackId: `U0NEW${n}`, email: `new${n}@example.com`, userId },
      account: { id: PROD, alias: "prod", name: "Production" },
      permissionSet: { arn: READ_ONLY, name: "ReadOnly" },
      rule: "prod-admin",
      decidedAt: now,
      dueAt: now,
    });
    await store.create(grant, []);
    grants.push(grant);
  }
  return grants;
}
