import { randomBytes, randomUUID } from "node:crypto";
import type {
  SimAccount,
  SimAssignment,
  SimGroup,
  SimInstance,
  SimOperation,
  SimPermissionSet,
  SimSeed,
  SimUser,
} from "./types.js";

export const DEFAULT_INSTANCE: SimInstance = {
  instanceArn: "arn:aws:sso:::instance/ssoins-7223abcdef123456",
  identityStoreId: "d-9067abcdef",
};

/** Identity key of an assignment: one per (principal, account, permission set). */
export function assignmentKey(a: SimAssignment): string {
  return `${a.principalType}|${a.principalId}|${a.accountId}|${a.permissionSetArn}`;
}

/** What the simulated Identity Center holds: identities, permission sets, accounts and assignments. */
export class SimState {
  instance: SimInstance = { ...DEFAULT_INSTANCE };
  readonly users = new Map<string, SimUser>();
  readonly groups = new Map<string, SimGroup>();
  /** groupId -> (userId -> membershipId). */
  readonly memberships = new Map<string, Map<string, string>>();
  readonly permissionSets = new Map<string, SimPermissionSet>();
  readonly accounts = new Map<string, SimAccount>();
  /** By assignmentKey, in insertion order. */
  readonly assignments = new Map<string, SimAssignment>();
  readonly operations = new Map<string, SimOperation>();
  /** assignmentKey -> request id of the creation or deletion in progress for it. */
  readonly inFlight = new Map<string, string>();

  addUser(user: Omit<SimUser, "id"> & { id?: string }): SimUser {
    const stored: SimUser = { ...user, id: user.id ?? randomUUID(), emails: [...user.emails] };
    this.users.set(stored.id, stored);
    return stored;
  }

  addGroup(group: Omit<SimGroup, "id"> & { id?: string }): SimGroup {
    const stored: SimGroup = { ...group, id: group.id ?? randomUUID() };
    this.groups.set(stored.id, stored);
    return stored;
  }

  /** `group` is an id or display name, `user` an id or user name. */
  /** Takes a user out of a group (an approver leaving the approvers' group). */
  removeMember(group: string, user: string): void {
    this.memberships.get(group)?.delete(user);
  }

  addMember(group: string, user: string): void {
    const g = this.groups.get(group) ?? [...this.groups.values()].find((x) => x.displayName === group);
    const u = this.users.get(user) ?? [...this.users.values()].find((x) => x.userName === user);
    if (!g) throw new Error(`no group ${group}`);
    if (!u) throw new Error(`no user ${user}`);
    const members = this.memberships.get(g.id) ?? new Map<string, string>();
    if (!members.has(u.id)) members.set(u.id, randomUUID());
    this.memberships.set(g.id, members);
  }

  addPermissionSet(ps: Omit<SimPermissionSet, "arn"> & { arn?: string }): SimPermissionSet {
    const instanceId = this.instance.instanceArn.split("/").pop() ?? "ssoins-0000000000000000";
    const arn = ps.arn ?? `arn:aws:sso:::permissionSet/${instanceId}/ps-${randomBytes(8).toString("hex")}`;
    const stored: SimPermissionSet = { ...ps, arn };
    this.permissionSets.set(arn, stored);
    return stored;
  }

  addAccount(account: SimAccount): SimAccount {
    this.accounts.set(account.id, { ...account });
    return account;
  }

  addAssignment(assignment: SimAssignment): void {
    this.assignments.set(assignmentKey(assignment), { ...assignment });
  }

  seed(seed: SimSeed): void {
    if (seed.instance) this.instance = { ...seed.instance };
    for (const account of seed.accounts ?? []) this.addAccount(account);
    for (const ps of seed.permissionSets ?? []) this.addPermissionSet(ps);
    for (const user of seed.users ?? []) this.addUser(user);
    for (const { members, ...group } of seed.groups ?? []) {
      const stored = this.addGroup(group);
      for (const member of members ?? []) this.addMember(stored.id, member);
    }
    for (const assignment of seed.assignments ?? []) this.addAssignment(assignment);
  }

  isMember(groupId: string, userId: string): boolean {
    return this.memberships.get(groupId)?.has(userId) ?? false;
  }

  /** Plain JSON of everything, for GET /_sim/state. */
  snapshot() {
    return {
      instance: this.instance,
      users: [...this.users.values()],
      groups: [...this.groups.values()].map((g) => ({
        ...g,
        members: [...(this.memberships.get(g.id)?.keys() ?? [])],
      })),
      permissionSets: [...this.permissionSets.values()],
      accounts: [...this.accounts.values()],
      assignments: [...this.assignments.values()],
      operations: [...this.operations.values()],
    };
  }
}
