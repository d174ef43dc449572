import type { Grant } from "../../domain/grant.js";
import type { SimAssignment, SimOperation } from "../identity-center/index.js";
import { type Html, html, join } from "./html.js";

/** What the Identity Center panel shows: the simulator's state, the baseline, and the grants in the store. */
export interface PanelState {
  accounts: Array<{ id: string; label: string }>;
  assignments: SimAssignment[];
  /** Creations and deletions still IN_PROGRESS. */
  operations: SimOperation[];
  principal(type: SimAssignment["principalType"], id: string): string;
  permissionSet(arn: string): string;
  /** Keys (assignmentKey) of the assignments that were there before the sandbox started. */
  baseline: ReadonlySet<string>;
  grants: Grant[];
  /** Slack user id -> name, for the requester column. */
  person(slackId: string): string;
  /** "14:05" in the workspace's zone. */
  time(ms: number): string;
}

/** How grants and assignments are matched: principal, account, permission set. */
export function assignmentKey(a: SimAssignment): string {
  return `${a.principalType}:${a.principalId}:${a.accountId}:${a.permissionSetArn}`;
}

const HOLDING = new Set(["provisioning", "active", "revoking"]);
const OPEN = new Set(["pending", "provisioning", "active", "revoking"]);
/** Ended grants shown under the open ones. */
const RECENT_CLOSED = 8;

/** A time a grant may carry depending on its status; read loosely so every status shape is shown. */
function timeOf(grant: Grant, key: "expiresAt" | "endedAt" | "decidedAt"): number | undefined {
  const value: unknown = (grant as unknown as Record<string, unknown>)[key];
  return typeof value === "number" ? value : undefined;
}

function closedAt(grant: Grant): number {
  return timeOf(grant, "endedAt") ?? timeOf(grant, "decidedAt") ?? grant.createdAt;
}

function holdersOf(a: SimAssignment, grants: Grant[]): Grant[] {
  if (a.principalType !== "USER") return [];
  return grants.filter(
    (g) =>
      HOLDING.has(g.status) &&
      g.requester.userId === a.principalId &&
      g.account.id === a.accountId &&
      g.permissionSet.arn === a.permissionSetArn,
  );
}

function assignmentRow(a: SimAssignment, state: PanelState): Html {
  const baseline = state.baseline.has(assignmentKey(a));
  const holders = holdersOf(a, state.grants);
  const tag = baseline
    ? html`<span class="tag baseline">baseline</span>`
    : holders.length > 0
      ? html`<span class="tag temporary">grant ${join(
          holders.map((g) => html`<code>${g.id}</code>`),
          ", ",
        )}</span>`
      : html`<span class="tag other">not from a grant</span>`;
  const principal = state.principal(a.principalType, a.principalId);
  const set = state.permissionSet(a.permissionSetArn);
  return html`<li class="assignment ${a.principalType.toLowerCase()}${baseline ? " is-baseline" : ""}" data-principal="${principal}" data-permission-set="${set}" data-account="${a.accountId}"><span class="ptype">${a.principalType}</span> <span class="pname">${principal}</span> → <span class="pset">${set}</span> ${tag}</li>`;
}

function operationRow(op: SimOperation, state: PanelState): Html {
  const a = op.assignment;
  const verb = op.kind === "creation" ? "creating" : "deleting";
  return html`<li class="operation ${verb}" data-principal="${state.principal(a.principalType, a.principalId)}"><span class="ptype">${a.principalType}</span> ${state.principal(a.principalType, a.principalId)} → ${state.permissionSet(a.permissionSetArn)} <span class="tag pending">${verb}…</span></li>`;
}

function grantRow(grant: Grant, state: PanelState): Html {
  const expires = timeOf(grant, "expiresAt");
  const ended = OPEN.has(grant.status) ? undefined : closedAt(grant);
  const when =
    grant.status === "active" && expires !== undefined
      ? html`<time class="countdown" data-until="${expires}">…</time>`
      : grant.status === "pending"
        ? html`<span class="muted">awaiting approval</span>`
        : ended !== undefined
          ? html`<span class="muted">${state.time(ended)}</span>`
          : html`<span class="muted">…</span>`;
  return html`<tr class="grant status-${grant.status}" data-grant="${grant.id}"><td><code>${grant.id}</code></td><td><span class="status">${grant.status}</span></td><td>${state.person(grant.requester.slackId)}</td><td>${grant.permissionSet.name} on ${grant.account.alias}</td><td>${when}</td></tr>`;
}

/** The side panel: assignments per account (baseline marked, temporary ones with their grant) and the grants table. */
export function renderPanel(state: PanelState): Html {
  const accounts = state.accounts.map((account) => {
    const rows = state.assignments
      .filter((a) => a.accountId === account.id)
      .sort((x, y) => x.principalType.localeCompare(y.principalType));
    const ops = state.operations.filter((op) => op.assignment.accountId === account.id);
    const body =
      rows.length + ops.length > 0
        ? html`<ul class="assignments">${join(rows.map((a) => assignmentRow(a, state)))}${join(ops.map((op) => operationRow(op, state)))}</ul>`
        : html`<p class="muted">no assignments</p>`;
    return html`<section class="account" data-account="${account.id}"><h4>${account.label}</h4>${body}</section>`;
  });
  const open = state.grants.filter((g) => OPEN.has(g.status)).sort((a, b) => b.createdAt - a.createdAt);
  const closed = state.grants
    .filter((g) => !OPEN.has(g.status))
    .sort((a, b) => closedAt(b) - closedAt(a))
    .slice(0, RECENT_CLOSED);
  const grants = [...open, ...closed];
  const table =
    grants.length > 0
      ? html`<table class="grants"><thead><tr><th>Grant</th><th>Status</th><th>Requester</th><th>Access</th><th>Ends</th></tr></thead><tbody>${join(grants.map((g) => grantRow(g, state)))}</tbody></table>`
      : html`<p class="muted">No grants yet.</p>`;
  return html`<h2 class="panel-title">IAM Identity Center</h2><p class="panel-note">Account assignments, live. The bot only ever adds and removes USER assignments it created.</p>${join(accounts)}<h2 class="panel-title">Grants <span class="muted">(DynamoDB)</span></h2>${table}`;
}
