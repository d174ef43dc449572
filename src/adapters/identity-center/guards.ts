import { UnsafeDeletion } from "../../domain/errors.js";
import type { AssignmentTarget, AssignmentTuple } from "../../domain/grant.js";

/** A USER or GROUP assignment, as the last guard before DeleteAccountAssignment sees it. */
export interface PrincipalAssignment {
  principalType: "USER" | "GROUP";
  principalId: string;
  accountId: string;
  permissionSetArn: string;
}

/** The user's own assignment to the target: the only kind the bot creates or deletes. */
export function userAssignmentOf(target: AssignmentTarget): PrincipalAssignment {
  return {
    principalType: "USER",
    principalId: target.userId,
    accountId: target.accountId,
    permissionSetArn: target.permissionSetArn,
  };
}

/** Invariants 1 and 2: only an assignment the bot created, that no grant holds, whose tuple is being deleted. */
export function guardDeletion(tuple: AssignmentTuple): void {
  if (tuple.preExisting !== false) {
    const why = tuple.preExisting ? "existed before the bot" : "was never checked for pre-existence";
    throw new UnsafeDeletion(`refusing to delete an assignment that ${why}`);
  }
  if (tuple.holders.length > 0) {
    throw new UnsafeDeletion(
      `refusing to delete an assignment still held by grants ${tuple.holders.join(", ")}`,
    );
  }
  if (tuple.state !== "deleting") {
    throw new UnsafeDeletion(`refusing to delete an assignment whose tuple is ${tuple.state}, not deleting`);
  }
}

/** The last guard before DeleteAccountAssignment: group assignments are never the bot's to delete. */
export function guardUserOnly(assignment: PrincipalAssignment): void {
  if (assignment.principalType !== "USER") {
    throw new UnsafeDeletion(`refusing to delete a ${assignment.principalType} assignment; only USER ones`);
  }
}
