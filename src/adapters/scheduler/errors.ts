import { DomainError } from "../../domain/errors.js";

/** EventBridge Scheduler refused or failed to create, move or delete a grant's one-time schedule. */
export class ScheduleFailed extends DomainError {
  readonly code = "SCHEDULE_FAILED";
  constructor(
    readonly grantId: string,
    readonly action: "schedule" | "cancel",
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.name}` : "";
    super(`could not ${action} the expiry of grant ${grantId}${reason}`, options);
  }
}

/** A grant id that cannot be part of a schedule name (letters, digits, `-`, `_` and `.` only). */
export class InvalidScheduleName extends DomainError {
  readonly code = "INVALID_SCHEDULE_NAME";
  constructor(readonly grantId: string) {
    super(`grant id ${JSON.stringify(grantId)} cannot name a schedule`);
  }
}
