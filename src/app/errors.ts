/** The services the bot depends on, as people are told about them. */
export type ServiceName =
  | "Identity Center"
  | "DynamoDB"
  | "Slack"
  | "EventBridge Scheduler"
  | "Secrets Manager"
  | "Lambda";

/**
 * Base of every adapter failure: a service the bot depends on failed or said no. Never a DomainError, so it
 * is never shown to a person as it is: people see words chosen by the Slack views, the log keeps the detail.
 */
export abstract class ServiceError extends Error {
  abstract readonly code: string;
  abstract readonly service: ServiceName;
  /** Whether the same call may succeed later (throttling, outage) as opposed to a refusal that will not change. */
  readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options?.retryable ?? true;
  }
}

/**
 * The store took longer to record a creation's or deletion's intent than the request may wait to leave, several
 * times over: nothing was sent, and the driver tries again later.
 */
export class IntentTooSlow extends ServiceError {
  readonly code = "INTENT_TOO_SLOW";
  readonly service = "DynamoDB" as const;

  constructor(grantId: string, windowMs: number) {
    super(`recording the intent of grant ${grantId} took longer than ${windowMs} ms; nothing was sent`);
  }
}

/** Why Identity Center refused an assignment change for good, in words a requester can act on (no AWS text). */
export type RefusalKind = "access-denied" | "invalid" | "not-found" | "quota" | "failed";

const REFUSAL_WORDS: Record<RefusalKind, string> = {
  "access-denied":
    "the bot's AWS role is not allowed to change this assignment; an administrator must check its permissions",
  invalid:
    "Identity Center rejected the assignment as invalid (for example, a delegated administrator cannot assign in the management account)",
  "not-found": "the account, permission set or user no longer exists in Identity Center",
  quota: "an Identity Center quota for this account or permission set has been reached",
  failed: "Identity Center could not provision the assignment",
};

/**
 * Identity Center said no for good (AccessDenied, Validation, ResourceNotFound, ServiceQuotaExceeded, or a FAILED
 * status): retrying cannot help, and for a creation nothing was created.
 */
export class AssignmentRefused extends ServiceError {
  readonly code = "IC_ASSIGNMENT_REFUSED";
  readonly service = "Identity Center" as const;

  constructor(
    /** The SSO Admin operation, e.g. CreateAccountAssignment. */
    readonly operation: string,
    readonly kind: RefusalKind,
    /** AWS's error name or FAILED, with its message: for the log and the audit trail, never for Slack. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Identity Center ${operation} refused (${kind}): ${detail}`, { ...options, retryable: false });
  }

  /** What a requester is told. */
  get words(): string {
    return REFUSAL_WORDS[this.kind];
  }
}
