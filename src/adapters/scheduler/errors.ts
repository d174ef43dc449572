import { ServiceError } from "../../app/errors.js";

/** EventBridge Scheduler refused or failed to create, move or delete a grant's one-time schedule. */
export class ScheduleFailed extends ServiceError {
  readonly code = "SCHEDULE_FAILED";
  readonly service = "EventBridge Scheduler" as const;
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
export class InvalidScheduleName extends ServiceError {
  readonly code = "INVALID_SCHEDULE_NAME";
  readonly service = "EventBridge Scheduler" as const;
  constructor(readonly grantId: string) {
    super(`grant id ${JSON.stringify(grantId)} cannot name a schedule`, { retryable: false });
  }
}
