import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { grantToItem, tupleToItem } from "../../src/adapters/dynamodb/marshalling.js";
import type { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import type { AssignmentTuple, Grant } from "../../src/domain/grant.js";
import { ADMIN, PROD, READ_ONLY, STAGING } from "../../test/support/example-config.js";
import { benchUser } from "./world.js";

/** 2,500 requesters x (prod, staging) x (ReadOnly, AdministratorAccess): no two seeded grants overlap. */
export const SEED_USERS = 2_500;
const COMBOS = [
  {
    account: { id: PROD, alias: "prod", name: "Production" },
    permissionSet: { arn: READ_ONLY, name: "ReadOnly" },
  },
  {
    account: { id: PROD, alias: "prod", name: "Production" },
    permissionSet: { arn: ADMIN, name: "AdministratorAccess" },
  },
  { account: { id: STAGING, alias: "staging" }, permissionSet: { arn: READ_ONLY, name: "ReadOnly" } },
  { account: { id: STAGING, alias: "staging" }, permissionSet: { arn: ADMIN, name: "AdministratorAccess" } },
] as const;

export interface Timing {
  expiresAt: number;
  dueAt: number;
}

/** Active grant `n` as the bot would have stored it after activation (approval message left out). */
export function seededGrant(n: number, timing: Timing): Grant {
  const combo = COMBOS[Math.floor(n / SEED_USERS) % COMBOS.length] ?? COMBOS[0];
  const activatedAt = timing.expiresAt - 4 * 3600_000;
  return {
    id: `m${String(n).padStart(7, "0")}`,
    version: 4,
    status: "active",
    requester: benchUser("M", n % SEED_USERS),
    account: { ...combo.account },
    permissionSet: { ...combo.permissionSet },
    rule: "prod-admin",
    reason: `on call for INC-${n}`,
    durationSeconds: 4 * 3600,
    approvalsRequired: 1,
    allowSelfApproval: false,
    approvals: [{ slackId: "U0ADMIN", email: "admin@example.com", at: activatedAt - 1_000 }],
    createdAt: activatedAt - 60_000,
    timeoutAt: activatedAt - 60_000 + 2 * 3600_000,
    decidedAt: activatedAt - 1_000,
    decidedBy: "U0ADMIN",
    activatedAt,
    expiresAt: timing.expiresAt,
    dueAt: timing.dueAt,
    createRequestId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    preExisting: false,
  };
}

function tupleOf(grant: Grant): AssignmentTuple {
  return {
    target: {
      userId: grant.requester.userId,
      accountId: grant.account.id,
      permissionSetArn: grant.permissionSet.arn,
    },
    state: "present",
    holders: [grant.id],
    preExisting: false,
    version: 1,
  };
}

async function writeBatch(client: DynamoDBClient, table: string, requests: WriteRequest[]): Promise<void> {
  let pending = requests;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= 10) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed`);
    const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
    pending = out.UnprocessedItems?.[table] ?? [];
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
  }
}

/** Writes grants 0..count-1 (and their tuples when asked) with BatchWriteItem, a few batches at a time. */
export async function seedGrants(
  client: DynamoDBClient,
  table: string,
  options: { count: number; timing: (n: number) => Timing; withTuples: boolean; concurrency?: number },
): Promise<void> {
  const requests: WriteRequest[] = [];
  for (let n = 0; n < options.count; n++) {
    const grant = seededGrant(n, options.timing(n));
    requests.push({ PutRequest: { Item: grantToItem(grant) } });
    if (options.withTuples) requests.push({ PutRequest: { Item: tupleToItem(tupleOf(grant)) } });
  }
  let next = 0;
  const worker = async () => {
    for (let start = next; start < requests.length; start = next) {
      next += 25;
      await writeBatch(client, table, requests.slice(start, start + 25));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
}

/** DynamoDB Local's own ceiling for what a reminder writes: get, then a conditional transaction, `parallel` at once. */
export async function probeRemindRate(
  store: DynamoGrantStore,
  count: number,
  parallel: number,
): Promise<number> {
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < count; n = next++) {
      const grant = await store.get(seededGrant(n, { expiresAt: 0, dueAt: 0 }).id);
      if (!grant) throw new Error(`seeded grant ${n} is missing`);
      await store.save({
        grant: { ...grant, version: grant.version + 1 },
        expect: { status: grant.status, version: grant.version },
        audit: [
          { grantId: grant.id, at: Date.now(), actor: "system", type: "reminded", status: grant.status },
        ],
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return count / ((Date.now() - started) / 1000);
}
