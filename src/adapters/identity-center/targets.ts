import type { AccountAssignmentOperationStatus } from "@aws-sdk/client-sso-admin";
import type { AssignmentTarget } from "../../domain/grant.js";

const LIMIT = 10_000;

/** Which (USER, account, permission set) each request id is about, so findInProgress describes a request once. */
export class TargetIndex {
  private readonly byRequest = new Map<string, string>();

  static keyOf(target: AssignmentTarget): string {
    return `USER|${target.userId}|${target.accountId}|${target.permissionSetArn}`;
  }

  get(requestId: string): string | undefined {
    return this.byRequest.get(requestId);
  }

  /** Records the target a status names and returns its key. */
  record(requestId: string, status: AccountAssignmentOperationStatus): string {
    const key = `${status.PrincipalType}|${status.PrincipalId}|${status.TargetId}|${status.PermissionSetArn}`;
    this.byRequest.set(requestId, key);
    if (this.byRequest.size > LIMIT) this.byRequest.delete(this.byRequest.keys().next().value ?? "");
    return key;
  }
}
