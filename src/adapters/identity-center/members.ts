import {
  DescribeUserCommand,
  type IdentitystoreClient,
  ListGroupMembershipsCommand,
} from "@aws-sdk/client-identitystore";
import type { Clock } from "../../app/ports.js";
import { TtlCache } from "../ttl-cache.js";
import { awsErrorName, translate } from "./errors.js";

/** ListGroupMemberships returns at most this many a page. */
const PAGE = 100;

export interface MembersDeps {
  client: IdentitystoreClient;
  identityStoreId: () => Promise<string>;
  /** The group's id by display name; undefined when there is no such group. */
  groupIdByName: (name: string) => Promise<string | undefined>;
  /** Runs one SDK call with the adapter's retries. */
  call: <T>(operation: string, send: () => Promise<T>) => Promise<T>;
  clock: Clock;
  ttlMs: number;
  /** Entries each cache keeps at most (default `DEFAULT_MAX_ENTRIES`). */
  maxEntries?: number;
}

/** Group members' emails (for mentioning approvers in Slack), cached like the directory's other answers. */
export class GroupMembers {
  private readonly emails: TtlCache<string | undefined>;
  private readonly members: TtlCache<string[]>;

  constructor(private readonly deps: MembersDeps) {
    const bound = deps.maxEntries === undefined ? {} : { maxEntries: deps.maxEntries };
    this.emails = new TtlCache(deps.clock, bound);
    this.members = new TtlCache(deps.clock, bound);
  }

  /** Primary (else first) emails of up to `limit` members of the named group; none when it does not exist. */
  async emailsOf(groupName: string, limit: number): Promise<string[]> {
    const userIds = await this.members.getOrLoad(
      `${groupName}\n${limit}`,
      () => this.userIds(groupName, limit),
      () => this.deps.ttlMs,
    );
    const out: string[] = [];
    for (const userId of userIds) {
      const email = await this.emails.getOrLoad(
        userId,
        () => this.emailOf(userId),
        () => this.deps.ttlMs,
      );
      if (email) out.push(email);
    }
    return out;
  }

  private async userIds(groupName: string, limit: number): Promise<string[]> {
    const groupId = await this.deps.groupIdByName(groupName);
    if (groupId === undefined) return [];
    const storeId = await this.deps.identityStoreId();
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.deps
        .call("ListGroupMemberships", () =>
          this.deps.client.send(
            new ListGroupMembershipsCommand({
              IdentityStoreId: storeId,
              GroupId: groupId,
              MaxResults: Math.min(PAGE, limit - ids.length),
              ...(token ? { NextToken: token } : {}),
            }),
          ),
        )
        .catch((error: unknown) => {
          throw translate("ListGroupMemberships", error);
        });
      for (const membership of out.GroupMemberships ?? []) {
        const userId =
          membership.MemberId && "UserId" in membership.MemberId ? membership.MemberId.UserId : undefined;
        if (userId) ids.push(userId);
      }
      token = out.NextToken;
    } while (token && ids.length < limit);
    return ids.slice(0, limit);
  }

  private async emailOf(userId: string): Promise<string | undefined> {
    const storeId = await this.deps.identityStoreId();
    try {
      const out = await this.deps.call("DescribeUser", () =>
        this.deps.client.send(new DescribeUserCommand({ IdentityStoreId: storeId, UserId: userId })),
      );
      const emails = out.Emails ?? [];
      return (emails.find((e) => e.Primary) ?? emails[0])?.Value;
    } catch (error) {
      // A member deleted since the listing has no email to mention.
      if (awsErrorName(error) === "ResourceNotFoundException") return undefined;
      throw translate("DescribeUser", error);
    }
  }
}
