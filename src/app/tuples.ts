import type { AssignmentTarget, AssignmentTuple, Grant } from "../domain/grant.js";

/** The assignment a grant is for. */
export function targetOf(grant: Grant): AssignmentTarget {
  return {
    userId: grant.requester.userId,
    accountId: grant.account.id,
    permissionSetArn: grant.permissionSet.arn,
  };
}

/** The tuple once nobody holds it and nothing of the bot's is left in Identity Center. */
export function released(tuple: AssignmentTuple): AssignmentTuple {
  return { target: tuple.target, state: "absent", holders: [], version: tuple.version + 1 };
}

/** The tuple after `grantId` stops covering it: deleting when the bot created it and nobody else holds it. */
export function without(tuple: AssignmentTuple, grantId: string, leaseUntil: number): AssignmentTuple {
  const holders = tuple.holders.filter((holder) => holder !== grantId);
  if (holders.length > 0) return { ...tuple, holders, version: tuple.version + 1 };
  if (tuple.preExisting === false) {
    return {
      ...tuple,
      holders,
      state: "deleting",
      lease: { grantId, until: leaseUntil },
      version: tuple.version + 1,
    };
  }
  return released(tuple);
}
