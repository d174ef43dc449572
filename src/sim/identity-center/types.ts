export type PrincipalType = "USER" | "GROUP";

export interface SimUser {
  id: string;
  userName: string;
  emails: string[];
  displayName?: string;
}

export interface SimGroup {
  id: string;
  displayName: string;
}

export interface SimPermissionSet {
  arn: string;
  name: string;
  description?: string;
  sessionDuration?: string;
}

export interface SimAccount {
  id: string;
  name?: string;
}

/** One account assignment, of a user or of a group. */
export interface SimAssignment {
  accountId: string;
  permissionSetArn: string;
  principalType: PrincipalType;
  principalId: string;
}

export interface SimInstance {
  instanceArn: string;
  identityStoreId: string;
}

/** Baseline state as JSON, for POST /_sim/seed; ids are generated when left out. */
export interface SimSeed {
  instance?: SimInstance;
  users?: Array<Omit<SimUser, "id"> & { id?: string }>;
  /** `members` are user ids or user names. */
  groups?: Array<Omit<SimGroup, "id"> & { id?: string; members?: string[] }>;
  permissionSets?: Array<Omit<SimPermissionSet, "arn"> & { arn?: string }>;
  accounts?: SimAccount[];
  assignments?: SimAssignment[];
}

/** A (principal, account, permission set) whose creation ends FAILED with `reason`. */
export interface SimFailTuple {
  principalId: string;
  accountId: string;
  permissionSetArn: string;
  reason: string;
}

/** Faults and limits, settable at runtime (setFaults, POST /_sim/faults). */
export interface SimFaults {
  /** Share of calls (0..1) answered ThrottlingException, drawn from a PRNG seeded with `seed`. */
  throttleShare: number;
  seed: number;
  /** SSO Admin calls accepted in any 1 s sliding window; excess calls are throttled. */
  requestsPerSecond?: number;
  /** Asynchronous write operations (creations and deletions) in progress at once; excess is throttled. */
  maxOutstanding: number;
  /** How long a creation or deletion stays IN_PROGRESS. */
  delayMs: number;
  failTuples: SimFailTuple[];
  /** Operations answered InternalServerException (HTTP 500) on every call. */
  failOperations: string[];
}

export interface SimCall {
  at: number;
  service: "sso-admin" | "identitystore";
  operation: string;
  input: unknown;
  /** "ok", or the error type returned. */
  outcome: string;
}

export interface SimStats {
  calls: number;
  ssoAdminCalls: number;
  /** Most SSO Admin calls that arrived within any 1 s sliding window (throttled ones included). */
  maxSsoAdminCallsPerSecond: number;
  /** Most creations outstanding at once, counting a refused one as if it had been accepted. */
  maxOutstandingCreations: number;
  /** Same, for creations and deletions together. */
  maxOutstandingOperations: number;
  /** Throttled calls by cause. */
  throttled: { injected: number; rate: number; outstanding: number };
}

export type OperationStatusValue = "IN_PROGRESS" | "SUCCEEDED" | "FAILED";

/** An asynchronous creation or deletion request. */
export interface SimOperation {
  requestId: string;
  kind: "creation" | "deletion";
  assignment: SimAssignment;
  status: OperationStatusValue;
  failureReason?: string;
  createdAt: number;
}
