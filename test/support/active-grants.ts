import type { GrantStore } from "../../src/app/ports.js";
import type { Grant } from "../../src/domain/grant.js";
import type { IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";
import { PROD, READ_ONLY } from "./example-config.js";
import { aGrant, type GrantOverrides } from "./grant-builder.js";
import { userAssignment } from "./ic.js";

/** A ReadOnly grant in PROD under the prod-admin rule for the `n`th made-up requester of a batch (`label`). */
function prodReadOnlyGrant(label: string, n: number, overrides: GrantOverrides): Grant {
  const userId = `u-${label}-${n}-${Math.floor(Math.random() * 1e9)}`;
  return aGrant({
    requester: { slackId: `U0${label.toUpperCase()}${n}`, email: `${label}${n}@example.com`, userId },
    account: { id: PROD, alias: "prod", name: "Production" },
    permissionSet: { arn: READ_ONLY, name: "ReadOnly" },
    rule: "prod-admin",
    ...overrides,
  });
}

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
    const grant = prodReadOnlyGrant("seed", n, {
      status: "active",
      version: 4,
      activatedAt: expiresAt - 3600_000,
      expiresAt,
      dueAt: expiresAt,
      decidedAt: expiresAt - 3600_000,
      reminded: true,
      preExisting: false,
    });
    await store.create(grant, []);
    const target = { userId: grant.requester.userId, accountId: PROD, permissionSetArn: READ_ONLY };
    await store.saveTuple(
      { target, state: "present", holders: [grant.id], preExisting: false, version: 1 },
      undefined,
    );
    sim.addAssignment(userAssignment(target));
    grants.push(grant);
  }
  return grants;
}

/** `count` approved grants waiting for their assignment, due now: a burst of creations for the drivers. */
export async function seedApprovedGrants(store: GrantStore, count: number, now: number): Promise<Grant[]> {
  const grants: Grant[] = [];
  for (let n = 0; n < count; n++) {
    const grant = prodReadOnlyGrant("new", n, {
      status: "provisioning",
      version: 2,
      decidedAt: now,
      dueAt: now,
    });
    await store.create(grant, []);
    grants.push(grant);
  }
  return grants;
}
