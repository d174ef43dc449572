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

/** A (principal, account, permission set); `kind` narrows a rule to creations or deletions (default: both). */
export interface SimTupleRef {
  principalId: string;
  accountId: string;
  permissionSetArn: string;
  kind?: SimOperation["kind"];
}

/** A tuple whose creation (or, with `kind: "deletion"`, deletion) ends FAILED with `reason`. */
export interface SimFailTuple extends SimTupleRef {
  reason: string;
}

/** The AWS errors an operation can be refused with outright, as Identity Center documents them. */
export type SimRefusalError =
  | "AccessDeniedException"
  | "ValidationException"
  | "ResourceNotFoundException"
  | "ServiceQuotaExceededException"
  | "ConflictException"
  | "InternalServerException"
  | "ThrottlingException";

/** Refuses calls of `operation` with `error`: all of them, or the next `times`, or only those naming `tuple`. */
export interface SimRefusal {
  operation: string;
  error: SimRefusalError;
  message?: string;
  /** How many more calls to refuse; left out, every matching call is refused. */
  times?: number;
  tuple?: Omit<SimTupleRef, "kind">;
}

/** Faults and limits, settable at runtime (setFaults, POST /_sim/faults). */
export interface SimFaults {
  /** Share of calls (0..1) answered ThrottlingException, drawn from a PRNG seeded with `seed`. */
  throttleShare: number;
  /** Seeds the throttling draw and the operation durations. */
  seed: number;
  /** SSO Admin calls accepted in any 1 s sliding window; excess calls are throttled. */
  requestsPerSecond?: number;
  /** Asynchronous write operations (creations and deletions) in progress at once; excess is throttled. */
  maxOutstanding: number;
  /** How long a creation or deletion stays IN_PROGRESS. */
  delayMs: number;
  /** When set, each operation stays IN_PROGRESS for a time drawn uniformly from [min, max] ms instead. */
  delayRangeMs?: [number, number];
  /** Operations on these tuples stay IN_PROGRESS until the tuple is taken off the list. */
  stuckTuples: SimTupleRef[];
  failTuples: SimFailTuple[];
  /** Operations answered InternalServerException (HTTP 500) on every call. */
  failOperations: string[];
  refusals: SimRefusal[];
  /** Every answer is sent this many ms after the call was handled (its effect happens at once). */
  answerDelayMs: number;
  /** Operations whose calls are handled but never answered ("*": all). */
  hangOperations: string[];
  /**
   * DeleteAccountAssignment of an assignment that does not exist: accepted and FAILED later ("failed"), or refused
   * at once with ResourceNotFoundException ("not-found"). Identity Center documents the latter error for the call.
   */
  missingDeletion: "failed" | "not-found";
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
  /** Calls by operation name, refused and throttled ones included. */
  byOperation: Record<string, number>;
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
  /** How long it was set to stay IN_PROGRESS when accepted (a stuck tuple holds it longer). */
  durationMs: number;
}
