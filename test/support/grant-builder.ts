import type {
  AssignmentTuple,
  AuditEvent,
  ExtensionRequest,
  Grant,
  GrantFields,
  GrantStatus,
} from "../../src/domain/grant.js";
import { newGrantId } from "../../src/domain/ids.js";
import { PROD, READ_ONLY } from "./example-config.js";

const T0 = Date.UTC(2030, 0, 15, 9, 0, 0);

/** A grant id as the bot makes them (so every command that takes one accepts it), unique across a test run. */
export function aGrantId(): string {
  return newGrantId();
}

/** Any field of any grant: a test may build combinations the lifecycle never makes (a view given hostile input). */
export type GrantOverrides = Partial<GrantFields> & {
  status?: GrantStatus;
  activatedAt?: number | undefined;
  expiresAt?: number | undefined;
};

/** An extension of 30 minutes asked by the requester, that nobody has decided yet; override what the test is about. */
export function anExtension(overrides: Partial<ExtensionRequest> = {}): ExtensionRequest {
  return {
    id: "e1",
    by: "U0REQUESTER",
    addSeconds: 1800,
    requestedAt: T0,
    required: 1,
    approvals: [],
    status: "pending",
    ...overrides,
  };
}

/** Every status a grant can be in, from the request to its end. */
export const EVERY_STATUS: readonly GrantStatus[] = [
  "pending",
  "provisioning",
  "active",
  "revoking",
  "ended",
  "denied",
  "cancelled",
  "timed-out",
  "failed",
];

/** A valid pending grant; override what the test is about. */
export function aGrant(overrides: GrantOverrides = {}): Grant {
  const createdAt = overrides.createdAt ?? T0;
  return {
    id: aGrantId(),
    version: 1,
    status: "pending",
    requester: { slackId: "U0REQUESTER", email: "dev@example.com", userId: "user-requester" },
    account: { id: PROD, alias: "prod", name: "Production" },
    permissionSet: { arn: READ_ONLY, name: "ReadOnly" },
    rule: "prod-readonly",
    reason: "fixing INC-123",
    durationSeconds: 3600,
    approvalsRequired: 1,
    allowSelfApproval: false,
    approvals: [],
    createdAt,
    timeoutAt: createdAt + 2 * 3600_000,
    dueAt: createdAt + 2 * 3600_000,
    ...overrides,
  } as Grant;
}

/** A tuple for the builder's default target, held by nobody yet. */
export function aTuple(overrides: Partial<AssignmentTuple> = {}): AssignmentTuple {
  return {
    target: {
      userId: "user-requester",
      accountId: "222222222222",
      permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-1111111111111111",
    },
    state: "absent",
    holders: [],
    version: 1,
    ...overrides,
  };
}

/** An audit line for a grant, by the system unless overridden. */
export function anAuditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return { at: T0, actor: "system", type: "requested", status: "pending", ...overrides };
}
