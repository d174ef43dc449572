import type { AuditEntry, GrantStore } from "../../src/app/ports.js";
import type { AuditEvent, AuditType, Grant } from "../../src/domain/grant.js";
import { aGrant, anAuditEvent } from "./grant-builder.js";

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;
/** Midnight UTC of the first of the data set's five days. */
export const DAY0 = Date.UTC(2031, 2, 10);
export const DAYS = 5;
export const REQUESTERS = ["alice@example.com", "bob@example.com", "carol@example.com"];
export const ACCOUNTS = ["prod", "staging", "sandbox"];

const LIFE: AuditType[] = [
  "requested",
  "approved",
  "provisioning",
  "activated",
  "reminded",
  "extended",
  "reminded",
  "revoke-requested",
  "expired",
  "revoked",
];
/** Minutes between two events of one grant. */
const STEP = 29 * MINUTE;

/** A grant's ten events starting at `start`, one every 29 minutes. */
function lifeOf(grant: Grant, start: number): AuditEvent[] {
  return LIFE.map((type, k) =>
    anAuditEvent({ grantId: grant.id, at: start + k * STEP, type, actor: "U0LEAD" }),
  );
}

/** Where the edge cases sit: events exactly at and a millisecond either side of the second day's bounds. */
export const EDGES = {
  firstOfDay1: DAY0 + DAY,
  lastOfDay0: DAY0 + DAY - 1,
  lastOfDay1: DAY0 + 2 * DAY - 1,
  firstOfDay2: DAY0 + 2 * DAY,
};

/** The data set: grants with ten events each and refusals (half about a grant), spread over five days. */
export interface AuditDataset {
  grants: Array<{ grant: Grant; events: AuditEvent[] }>;
  refusals: AuditEvent[];
  /** Every event with whom and what it concerns, as the store should give it back. */
  expected: AuditEntry[];
}

/** Spread over the days by minute; the first four sit on the edges, grants 6 and 7 share their times (ties). */
function startOf(i: number): number {
  const edges = [
    EDGES.firstOfDay1,
    EDGES.lastOfDay1 - 9 * STEP,
    EDGES.lastOfDay0 - 9 * STEP,
    EDGES.firstOfDay2,
  ];
  const spread = (n: number) => DAY0 + ((n * 7919) % (DAYS * 1440 - 300)) * MINUTE;
  return edges[i] ?? spread(i === 7 ? 6 : i);
}

export function auditDataset(grantCount: number, refusalCount: number): AuditDataset {
  const grants = Array.from({ length: grantCount }, (_, i) => {
    const requester = REQUESTERS[i % REQUESTERS.length] ?? "";
    const grant = aGrant({
      requester: { slackId: `U0P${i % REQUESTERS.length}`, email: requester, userId: `u-${i % 3}` },
      account: {
        id: String(222222222222 + (Math.floor(i / 3) % 3)),
        alias: ACCOUNTS[Math.floor(i / 3) % 3] ?? "",
      },
    });
    return { grant, events: lifeOf(grant, startOf(i)) };
  });
  const refusals = Array.from({ length: refusalCount }, (_, r) => {
    const at = DAY0 + ((r * 104_729 * 997) % (DAYS * DAY));
    const about = grants[(r * 31) % grants.length]?.grant;
    if (r % 2 === 0 && about) {
      return anAuditEvent({
        grantId: about.id,
        at,
        actor: "U0OUTSIDER",
        type: "refused",
        reason: "not an approver",
      });
    }
    const account = ACCOUNTS[r % ACCOUNTS.length]?.toUpperCase() ?? "";
    return anAuditEvent({
      at,
      actor: `U0R${r % 7}`,
      type: "refused",
      reason: "no rule",
      detail: { account, permissionSet: "Billing", code: "NO_RULE" },
    });
  });
  const byId = new Map(grants.map(({ grant }) => [grant.id, grant]));
  const expected: AuditEntry[] = [
    ...grants.flatMap(({ grant, events }) => events.map((event) => entryOf(event, grant))),
    ...refusals.map((event) => entryOf(event, event.grantId ? byId.get(event.grantId) : undefined)),
  ];
  return { grants, refusals, expected };
}

function entryOf(event: AuditEvent, grant: Grant | undefined): AuditEntry {
  if (grant) {
    return {
      event,
      requester: grant.requester.email,
      account: grant.account.alias,
      permissionSet: "ReadOnly",
    };
  }
  return { event, account: String(event.detail?.account).toLowerCase(), permissionSet: "Billing" };
}

/** Writes the data set through the store's own writes, `width` at a time: grants first, then refusals. */
export async function writeDataset(store: GrantStore, data: AuditDataset, width = 16): Promise<void> {
  await inPool(data.grants, width, ({ grant, events }) => store.create(grant, events));
  await inPool(data.refusals, width, (event) => store.recordRefusal(event));
}

async function inPool<T>(items: readonly T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/** An order-free fingerprint of entries, to compare what came back with what was written. */
export function fingerprint(entries: readonly AuditEntry[]): string[] {
  return entries
    .map(({ event, requester, account }) =>
      [event.grantId ?? "-", event.at, event.type, event.actor, requester ?? "-", account ?? "-"].join("|"),
    )
    .sort();
}
