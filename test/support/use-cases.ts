import { handleCommand } from "../../src/app/command.js";
import { decideGrant } from "../../src/app/decide.js";
import { requestAccess } from "../../src/app/request.js";
import { sweepDue } from "../../src/app/sweep.js";
import type { Grant } from "../../src/domain/grant.js";
import { aRule, type Harness, PEOPLE } from "./app-harness.js";
import { ADMIN, exampleConfig, PROD } from "./example-config.js";

/** The harness clock's start: Friday 27 November 2026, 09:00 UTC, 10:00 in Berlin (the requester's zone). */
export const HARNESS_START = Date.UTC(2026, 10, 27, 9, 0);

/** An hour of AdministratorAccess on prod, the ask of most use-case tests; the reason tells their audit trails apart. */
export function prodAdminAsk(reason: string) {
  return { account: "prod", permissionSet: "AdministratorAccess", durationSeconds: 3600, reason };
}

/** Both permission sets of prod in one request: a request of two parts under one rule. */
export const prodBoth = {
  account: "prod",
  permissionSet: ["ReadOnly", "AdministratorAccess"],
  durationSeconds: 3600,
  reason: "INC-42 rollout",
};

/** prod is approved by the administrators, staging by the security lead alone, both in one channel. */
export const splitApprovers = exampleConfig({
  rules: [
    aRule({ name: "prod-admin", channel: "C0SHARED" }),
    aRule({
      name: "staging-lead",
      accounts: ["staging"],
      approvers: { groups: [], emails: ["security-lead@example.com"] },
      maxDurationSeconds: 2 * 3600,
      channel: "C0SHARED",
    }),
  ],
});

/** Asks for `ask` as the developer and has the admin approve it; returns the grant's id. */
export async function requestApproved(h: Harness, ask: Parameters<typeof requestAccess>[2]): Promise<string> {
  const grant = await requestAccess(h.deps, PEOPLE.dev.slackId, ask);
  await decideGrant(h.deps, PEOPLE.admin.slackId, grant.id, { kind: "approve" });
  return grant.id;
}

/** The developer's grant of `ask` once the admin approved it, as stored: active, with its expiry. */
export async function requestActive(h: Harness, ask: Parameters<typeof requestAccess>[2]): Promise<Grant> {
  const active = await h.store.get(await requestApproved(h, ask));
  if (active?.status !== "active" || active.expiresAt === undefined) throw new Error("not active");
  return active;
}

/** The developer's first grant of a request made by command text, such as "prod ReadOnly 1h at 14:00 x". */
export async function requestByCommand(h: Harness, text: string): Promise<Grant> {
  const result = await handleCommand(h.deps, PEOPLE.dev.slackId, text);
  if (result.kind !== "requested") throw new Error(`not requested: ${result.kind}`);
  return result.grants[0] as Grant;
}

/** The assignment a grant gives `userId`: AdministratorAccess on prod unless told otherwise. */
export function target(userId: string, accountId = PROD, permissionSetArn = ADMIN) {
  return { userId, accountId, permissionSetArn };
}

/** The stored status of each grant, in order. */
export async function statuses(h: Harness, grants: readonly Grant[]) {
  return Promise.all(grants.map(async (g) => (await h.store.get(g.id))?.status));
}

/** Moves the clock on by `ms` in steps of `stepMs`, sweeping after each step as the server's pass does. */
export async function sweepFor(h: Harness, ms: number, stepMs: number) {
  for (let spent = 0; spent < ms; spent += stepMs) {
    h.clock.advance(stepMs);
    await sweepDue(h.deps);
  }
}
