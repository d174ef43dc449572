import type { Block, SlackMessage } from "../../src/adapters/slack/views/blocks.js";
import type { RequesterNotice } from "../../src/app/ports.js";
import type { ExtensionRequest, Grant } from "../../src/domain/grant.js";
import { aGrant } from "./grant-builder.js";

/** The direct messages a requester gets about a grant, short of a refused extension and a cancellation. */
export const GRANT_NOTICES: readonly RequesterNotice[] = [
  "requested",
  "granted",
  "denied",
  "failed",
  "reminder",
  "expired",
  "revoked",
  "extended",
  "timed-out",
];

/** The elements of every actions block: the buttons a view offers, in order. */
export function buttons(blocks: readonly Block[] | undefined): Array<Record<string, unknown>> {
  return (blocks ?? []).flatMap((block) =>
    block.type === "actions" ? (block.elements as unknown as Array<Record<string, unknown>>) : [],
  );
}

/** The buttons of a message or view. */
export function actionsOf(message: { blocks?: Block[] }): Array<Record<string, unknown>> {
  return buttons(message.blocks);
}

/** A message's blocks as one string, to look for what they say. */
export function textOf(message: SlackMessage): string {
  return JSON.stringify(message.blocks);
}

/** The request id the parts of `requestParts` share. */
export const REQUEST = "r-k7m2x9qa";

/** Grants that are the parts of one request of U0DEV's, one a set of overrides. */
export function requestParts(...overrides: Array<Partial<Grant>>): Grant[] {
  return overrides.map((o, i) =>
    aGrant({
      id: `part${i}aaa`,
      requestId: REQUEST,
      requester: { slackId: "U0DEV", email: "dev@example.com", userId: "u-dev" },
      ...o,
    }),
  );
}

/** An extension of 30 minutes asked at `now` by the requester, with one of its two approvals. */
export function aWaitingExtension(now: number): ExtensionRequest {
  return {
    id: "e7",
    by: "U0REQUESTER",
    addSeconds: 1800,
    requestedAt: now,
    required: 2,
    approvals: [{ slackId: "U0ADMIN", email: "admin@example.com", at: now }],
    status: "pending",
  };
}

/**
 * The extension views' scene at 12:30 UTC on Friday 27 November 2026: grant tstaaaa2, active for the hour from
 * then, and an extension of it waiting.
 */
export const EXTENSION_SCENE = {
  now: Date.UTC(2026, 10, 27, 12, 30),
  active: aGrant({
    id: "tstaaaa2",
    status: "active",
    activatedAt: Date.UTC(2026, 10, 27, 12, 30),
    expiresAt: Date.UTC(2026, 10, 27, 13, 30),
  }),
  waiting: aWaitingExtension(Date.UTC(2026, 10, 27, 12, 30)),
};
