import { GrantNotFound } from "../domain/errors.js";
import type { AuditEvent, Grant } from "../domain/grant.js";
import type { AuditEntry, AuditQuery, GrantStore } from "./ports.js";

/** What the audit trail is read for: a time range and filters, or (with `grantId`) one grant's own trail. */
export interface AuditRequest extends AuditQuery {
  grantId?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * Whom and what an audit event concerns, as the store keeps it beside the event for the audit index: from the
 * grant written with it, else from what a refusal's detail names (the account and permission set as typed).
 */
export function auditEntry(event: AuditEvent, grant?: Grant): AuditEntry {
  const detail = event.detail ?? {};
  const requester = grant?.requester.email ?? text(detail.email);
  const account = grant?.account.alias ?? text(detail.account);
  const permissionSet = grant?.permissionSet.name ?? text(detail.permissionSet);
  return {
    event,
    ...(requester ? { requester: requester.toLowerCase() } : {}),
    ...(account ? { account: account.toLowerCase() } : {}),
    ...(permissionSet ? { permissionSet } : {}),
  };
}

/**
 * The audit trail in time order, a page at a time: through the store's audit index for a time range, or
 * one grant's own trail (every event it has, unless the range leaves some out). Filters ignore case.
 */
export async function* auditTrail(
  deps: { store: GrantStore },
  request: AuditRequest,
  pageSize = 500,
): AsyncGenerator<AuditEntry[]> {
  const query: AuditQuery = {
    from: request.from,
    to: request.to,
    ...(request.requester ? { requester: request.requester.trim().toLowerCase() } : {}),
    ...(request.account ? { account: request.account.trim().toLowerCase() } : {}),
  };
  if (request.grantId !== undefined) {
    yield await grantTrail(deps.store, request.grantId, query);
    return;
  }
  let cursor: string | undefined;
  do {
    const page = await deps.store.auditBetween(query, cursor, pageSize);
    if (page.items.length > 0) yield page.items;
    cursor = page.cursor;
  } while (cursor !== undefined);
}

async function grantTrail(store: GrantStore, grantId: string, query: AuditQuery): Promise<AuditEntry[]> {
  const [grant, events] = await Promise.all([store.get(grantId), store.auditOf(grantId)]);
  if (!grant && events.length === 0) throw new GrantNotFound(grantId);
  return events
    .map((event) => auditEntry(event, grant))
    .filter(
      (entry) =>
        entry.event.at >= query.from &&
        entry.event.at <= query.to &&
        (query.requester === undefined || entry.requester === query.requester) &&
        (query.account === undefined || entry.account === query.account),
    );
}
