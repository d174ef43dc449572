import { type Input, notFound, paginate, requireObject, requireString, validation } from "./protocol.js";
import type { Handler } from "./sso-admin.js";
import type { SimState } from "./state.js";

function checkStore(state: SimState, input: Input): string {
  const id = requireString(input, "IdentityStoreId");
  if (id !== state.instance.identityStoreId) {
    throw notFound(`Identity store ${id} does not exist`, { ResourceType: "IDENTITY_STORE", ResourceId: id });
  }
  return id;
}

/** The UniqueAttribute of an AlternateIdentifier; ExternalId is not simulated. */
function uniqueAttribute(input: Input): { path: string; value: unknown } {
  const alternate = requireObject(input, "AlternateIdentifier");
  if (alternate.ExternalId !== undefined) throw validation("ExternalId identifiers are not simulated");
  const unique = requireObject(alternate, "UniqueAttribute");
  return { path: requireString(unique, "AttributePath"), value: unique.AttributeValue };
}

function memberUserId(input: Input): string {
  return requireString(requireObject(input, "MemberId"), "UserId");
}

function userNotFound(id: string) {
  return notFound("USER not found.", { ResourceType: "USER", ResourceId: id });
}

/**
 * The Identity Store operations the bot uses; attribute matches are exact (case-sensitive). Long on purpose: one
 * table of handlers, each a few lines, read side by side like the API's list of operations.
 */
export function identityStoreHandlers(state: SimState): Record<string, Handler> {
  return {
    GetUserId: (input) => {
      const storeId = checkStore(state, input);
      const { path, value } = uniqueAttribute(input);
      if (typeof value !== "string") throw validation("AttributeValue must be a string");
      const users = [...state.users.values()];
      let user: (typeof users)[number] | undefined;
      if (path === "emails.value") user = users.find((u) => u.emails.includes(value));
      else if (path === "userName") user = users.find((u) => u.userName === value);
      else throw validation(`AttributePath ${path} is not supported`);
      if (!user) throw userNotFound(value);
      return { IdentityStoreId: storeId, UserId: user.id };
    },
    GetGroupId: (input) => {
      const storeId = checkStore(state, input);
      const { path, value } = uniqueAttribute(input);
      if (path !== "displayName") throw validation(`AttributePath ${path} is not supported`);
      const group = [...state.groups.values()].find((g) => g.displayName === value);
      if (!group) throw notFound("GROUP not found.", { ResourceType: "GROUP", ResourceId: String(value) });
      return { IdentityStoreId: storeId, GroupId: group.id };
    },
    IsMemberInGroups: (input) => {
      checkStore(state, input);
      const userId = memberUserId(input);
      if (!state.users.has(userId)) throw userNotFound(userId);
      const groupIds = input.GroupIds;
      if (!Array.isArray(groupIds) || groupIds.length < 1 || groupIds.length > 100) {
        throw validation("GroupIds must hold 1 to 100 group ids");
      }
      return {
        Results: groupIds.map((groupId) => ({
          GroupId: groupId,
          MemberId: { UserId: userId },
          MembershipExists: typeof groupId === "string" && state.isMember(groupId, userId),
        })),
      };
    },
    DescribeUser: (input) => {
      const storeId = checkStore(state, input);
      const userId = requireString(input, "UserId");
      const user = state.users.get(userId);
      if (!user) throw userNotFound(userId);
      return {
        IdentityStoreId: storeId,
        UserId: user.id,
        UserName: user.userName,
        ...(user.displayName ? { DisplayName: user.displayName } : {}),
        Emails: user.emails.map((value, i) => ({ Value: value, Type: "work", Primary: i === 0 })),
      };
    },
    ListGroupMemberships: (input) => {
      const storeId = checkStore(state, input);
      const groupId = requireString(input, "GroupId");
      if (!state.groups.has(groupId)) {
        throw notFound("GROUP not found.", { ResourceType: "GROUP", ResourceId: groupId });
      }
      const members = state.memberships.get(groupId) ?? new Map<string, string>();
      const all = [...members].map(([userId, membershipId]) => ({ userId, membershipId }));
      const { page, nextToken } = paginate(all, input, { defaultMax: 100, max: 100 });
      return {
        GroupMemberships: page.map((m) => ({
          IdentityStoreId: storeId,
          MembershipId: m.membershipId,
          GroupId: groupId,
          MemberId: { UserId: m.userId },
        })),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
    ListGroupMembershipsForMember: (input) => {
      const storeId = checkStore(state, input);
      const userId = memberUserId(input);
      if (!state.users.has(userId)) throw userNotFound(userId);
      const all: Array<{ groupId: string; membershipId: string }> = [];
      for (const [groupId, members] of state.memberships) {
        const membershipId = members.get(userId);
        if (membershipId) all.push({ groupId, membershipId });
      }
      const { page, nextToken } = paginate(all, input, { defaultMax: 100, max: 100 });
      return {
        GroupMemberships: page.map((m) => ({
          IdentityStoreId: storeId,
          MembershipId: m.membershipId,
          GroupId: m.groupId,
          MemberId: { UserId: userId },
        })),
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
    },
  };
}
