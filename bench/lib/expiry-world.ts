import { randomBytes } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import { createGrantsTable } from "../../src/adapters/dynamodb/table.js";
import type { GrantStore } from "../../src/app/ports.js";
import type { Grant } from "../../src/domain/grant.js";
import type { IdentityCenterSimulator, SimFaults } from "../../src/sim/identity-center/index.js";
import { seededRandom } from "../../src/sim/identity-center/protocol.js";
import { localDynamo } from "../../test/support/dynamodb-local.js";
import { probeRemindRate, seededGrant, seedGrants } from "./seed.js";
import { progress } from "./stats.js";
import { type BenchUser, benchUser } from "./world.js";

/** Identity Center's quotas as the simulator enforces them: 20 SSO Admin calls a second, 15 operations, 1–3 s each. */
export const QUOTAS: Partial<SimFaults> = {
  requestsPerSecond: 20,
  maxOutstanding: 15,
  delayRangeMs: [1_000, 3_000],
  seed: 8,
};
export const RATE_LIMIT = 20;
export const OUTSTANDING_LIMIT = 15;

/** The requesters of `count` seeded grants (grant n belongs to user M<n>, on prod ReadOnly). */
export function dueUsers(count: number): BenchUser[] {
  return Array.from({ length: count }, (_, n) => benchUser("M", n));
}

/** A seeded grant as the figures need it. */
export interface DueGrant {
  id: string;
  userId: string;
  expiresAt: number;
}

/**
 * `count` active grants (with their tuples) expiring between `firstExpiry` and `firstExpiry + spreadMs` (seeded),
 * written with BatchWriteItem, and the assignment each one created in the simulator.
 */
export async function seedDueGrants(
  dynamo: DynamoDBClient,
  table: string,
  sim: IdentityCenterSimulator,
  options: { count: number; firstExpiry: number; spreadMs: number; seed: number },
): Promise<DueGrant[]> {
  const random = seededRandom(options.seed);
  const expiries = Array.from({ length: options.count }, (_, n) =>
    n === 0 ? options.firstExpiry : options.firstExpiry + Math.floor(random() * options.spreadMs),
  );
  const timing = (n: number) => ({ expiresAt: expiries[n] ?? 0, dueAt: expiries[n] ?? 0 });
  await seedGrants(dynamo, table, { count: options.count, timing, withTuples: true });
  return expiries.map((expiresAt, n) => {
    const grant = seededGrant(n, timing(n));
    sim.addAssignment({
      principalType: "USER",
      principalId: grant.requester.userId,
      accountId: grant.account.id,
      permissionSetArn: grant.permissionSet.arn,
    });
    return { id: grant.id, userId: grant.requester.userId, expiresAt };
  });
}

/** Whether the grant's assignment is still in the simulator. */
function remaining(sim: IdentityCenterSimulator, grants: readonly DueGrant[]): number {
  const users = new Set(grants.map((grant) => grant.userId));
  return sim.assignments().filter((a) => a.principalType === "USER" && users.has(a.principalId)).length;
}

/** Reads every grant back, 25 at a time. */
export async function readGrants(store: GrantStore, grants: readonly DueGrant[]): Promise<Grant[]> {
  const out: Grant[] = [];
  for (let start = 0; start < grants.length; start += 25) {
    const page = await Promise.all(grants.slice(start, start + 25).map((grant) => store.get(grant.id)));
    for (const grant of page) if (grant) out.push(grant);
  }
  return out;
}

/**
 * Waits until every assignment is gone and every grant is recorded ended, or until nothing moved for `stallMs`
 * (a generous wait: what is left then is counted as never revoked). Prints progress every 30 s.
 */
export async function waitForEnd(
  sim: IdentityCenterSimulator,
  store: GrantStore,
  grants: readonly DueGrant[],
  options: { stallMs: number; label: string },
): Promise<void> {
  let last = Number.POSITIVE_INFINITY;
  let movedAt = Date.now();
  let toldAt = Date.now();
  for (;;) {
    const left = remaining(sim, grants);
    if (left < last) {
      last = left;
      movedAt = Date.now();
    }
    if (Date.now() - toldAt >= 30_000) {
      progress(`${options.label}: ${left} of ${grants.length} assignments left`);
      toldAt = Date.now();
    }
    if (left === 0) break;
    if (Date.now() - movedAt > options.stallMs) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // Assignments are gone; the grants' end is written right after each deletion is seen to succeed.
  const until = Date.now() + options.stallMs;
  while (Date.now() < until) {
    const open = (await readGrants(store, grants)).filter((grant) => grant.status !== "ended").length;
    if (open === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/**
 * Warms DynamoDB Local (its JIT, the transaction path) on a table of its own, so the first run does not pay for it;
 * returns the ceiling it measured for what a revocation step writes: a get and a conditional transaction, 8 at once.
 */
export async function warmDynamo(dynamoEndpoint: string): Promise<number> {
  const dynamo = localDynamo(dynamoEndpoint);
  try {
    const table = `bench-warm-${randomBytes(4).toString("hex")}`;
    await createGrantsTable(dynamo, table);
    const count = 600;
    await seedGrants(dynamo, table, { count, timing: () => ({ expiresAt: 0, dueAt: 0 }), withTuples: false });
    const store = new DynamoGrantStore(dynamo, table);
    await probeRemindRate(store, count / 2, 8);
    return probeRemindRate(store, count / 2, 8);
  } finally {
    dynamo.destroy();
  }
}
