/** Base of every domain failure: a stable `code` for callers, the original `cause` kept. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A conditional write lost a race: someone else changed the grant first. */
export class GrantChangedConcurrently extends DomainError {
  readonly code = "GRANT_CHANGED_CONCURRENTLY";
  constructor(
    readonly grantId: string,
    readonly current: import("./grant.js").Grant | undefined,
    options?: { cause?: unknown },
  ) {
    super(`grant ${grantId} was changed by someone else`, options);
  }
}

/** A conditional write on an assignment tuple lost a race. */
export class TupleChangedConcurrently extends DomainError {
  readonly code = "TUPLE_CHANGED_CONCURRENTLY";
}

/** A conditional write on a notice lost a race: another sender claimed or delivered it first. */
export class NoticeChangedConcurrently extends DomainError {
  readonly code = "NOTICE_CHANGED_CONCURRENTLY";
}

/** A conditional write on a lease lost a race: another process holds or took it. */
export class LeaseChangedConcurrently extends DomainError {
  readonly code = "LEASE_CHANGED_CONCURRENTLY";
}

export class GrantNotFound extends DomainError {
  readonly code = "GRANT_NOT_FOUND";
  constructor(readonly grantId: string) {
    super(`no grant \`${grantId}\``);
  }
}

/** A lifecycle step that is not allowed from the grant's current status. */
export class IllegalTransition extends DomainError {
  readonly code = "ILLEGAL_TRANSITION";
  constructor(
    readonly from: string,
    readonly event: string,
  ) {
    super(`cannot ${event} a grant that is ${from}`);
  }
}

/** Someone tried to do what they may not (approve, revoke, extend). */
export class NotAuthorised extends DomainError {
  readonly code = "NOT_AUTHORISED";
}

/** A request or command refused by policy or by validation; the message says what is allowed. */
export class RequestRefused extends DomainError {
  readonly code = "REQUEST_REFUSED";
}

/** Identity Center reported FAILED, or retries ran out. */
export class AssignmentFailed extends DomainError {
  readonly code = "ASSIGNMENT_FAILED";
  /** True only when Identity Center said no for certain (FAILED, or the call itself refused): nothing was changed. */
  readonly definitive: boolean;
  constructor(message: string, options?: { cause?: unknown; definitive?: boolean }) {
    super(message, options);
    this.definitive = options?.definitive ?? false;
  }
}

/** The bot was asked to delete something it did not create (invariant 1); refused before any AWS call. */
export class UnsafeDeletion extends DomainError {
  readonly code = "UNSAFE_DELETION";
}

/** No Identity Center user matches the Slack user's email. */
export class UnknownUser extends DomainError {
  readonly code = "UNKNOWN_USER";
}
