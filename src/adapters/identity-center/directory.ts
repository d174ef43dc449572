import {
  GetGroupIdCommand,
  GetUserIdCommand,
  type IdentitystoreClient,
  IsMemberInGroupsCommand,
} from "@aws-sdk/client-identitystore";
import type { Clock, Logger } from "../../app/ports.js";
import { TtlCache } from "../ttl-cache.js";
import { awsErrorName, translate } from "./errors.js";

/** IsMemberInGroups takes at most this many group ids per call. */
const GROUP_BATCH = 100;

export interface DirectoryDeps {
  client: IdentitystoreClient;
  identityStoreId: () => Promise<string>;
  /** Runs one SDK call with the adapter's retries. */
  call: <T>(operation: string, send: () => Promise<T>) => Promise<T>;
  clock: Clock;
  ttlMs: number;
  negativeTtlMs: number;
  /** Entries each cache keeps at most (default `DEFAULT_MAX_ENTRIES`). */
  maxEntries?: number;
  logger?: Logger;
}

/** Users and group membership from the Identity Store, cached so Slack clicks stay cheap. */
export class Directory {
  private readonly users: TtlCache<string | undefined>;
  private readonly groupIds: TtlCache<string | undefined>;
  private readonly memberships: TtlCache<boolean>;
  private readonly reportedUnknown = new Set<string>();

  constructor(private readonly deps: DirectoryDeps) {
    const bound = deps.maxEntries === undefined ? {} : { maxEntries: deps.maxEntries };
    this.users = new TtlCache(deps.clock, bound);
    this.groupIds = new TtlCache(deps.clock, bound);
    this.memberships = new TtlCache(deps.clock, bound);
  }

  private ttl = (value: unknown) => (value === undefined ? this.deps.negativeTtlMs : this.deps.ttlMs);

  /** Exact email first, then lower-cased: stores differ in how they keep the case of emails. */
  async userIdByEmail(email: string): Promise<string | undefined> {
    return this.users.getOrLoad(
      email,
      async () => {
        const exact = await this.lookup("GetUserId", "emails.value", email);
        const lower = email.toLowerCase();
        if (exact !== undefined || lower === email) return exact;
        return this.lookup("GetUserId", "emails.value", lower);
      },
      this.ttl,
    );
  }

  /** A group's id by display name; undefined when Identity Center has no such group. */
  groupIdByName(name: string): Promise<string | undefined> {
    return this.groupIds.getOrLoad(name, () => this.lookup("GetGroupId", "displayName", name), this.ttl);
  }

  /**
   * The names among `groupNames` whose group has the user as a member; unknown names are skipped. `fresh` asks
   * Identity Center about membership now instead of trusting the cache: someone just removed from an approvers'
   * group cannot approve on the strength of a cached answer.
   */
  async groupsOf(
    userId: string,
    groupNames: readonly string[],
    options: { fresh?: boolean } = {},
  ): Promise<string[]> {
    const named: Array<{ name: string; id: string }> = [];
    for (const name of new Set(groupNames)) {
      const id = await this.groupIds.getOrLoad(
        name,
        () => this.lookup("GetGroupId", "displayName", name),
        this.ttl,
      );
      if (id !== undefined) named.push({ name, id });
      else this.reportUnknown(name);
    }
    // Answers are read from this map, not back from the cache, which may have dropped them already.
    const member = new Map<string, boolean>();
    for (const id of new Set(named.map((g) => g.id))) {
      const cached = options.fresh === true ? undefined : this.memberships.get(`${userId}|${id}`);
      if (cached) member.set(id, cached.value);
    }
    const unknownIds = [...new Set(named.map((g) => g.id))].filter((id) => !member.has(id));
    for (let i = 0; i < unknownIds.length; i += GROUP_BATCH) {
      const found = await this.checkMembership(userId, unknownIds.slice(i, i + GROUP_BATCH));
      for (const [id, exists] of found) member.set(id, exists);
    }
    return named.filter((g) => member.get(g.id) === true).map((g) => g.name);
  }

  private async checkMembership(userId: string, groupIds: string[]): Promise<Map<string, boolean>> {
    const storeId = await this.deps.identityStoreId();
    const out = await this.deps
      .call("IsMemberInGroups", () =>
        this.deps.client.send(
          new IsMemberInGroupsCommand({
            IdentityStoreId: storeId,
            MemberId: { UserId: userId },
            GroupIds: groupIds,
          }),
        ),
      )
      .catch((error: unknown) => {
        throw translate("IsMemberInGroups", error);
      });
    const found = new Map((out.Results ?? []).map((r) => [r.GroupId, r.MembershipExists === true]));
    const answers = new Map(groupIds.map((id) => [id, found.get(id) ?? false]));
    for (const [id, exists] of answers) this.memberships.set(`${userId}|${id}`, exists, this.deps.ttlMs);
    return answers;
  }

  private reportUnknown(name: string): void {
    if (this.reportedUnknown.has(name)) return;
    this.reportedUnknown.add(name);
    this.deps.logger?.warn("Identity Center group not found; rules naming it match nobody", { group: name });
  }

  /** A user or group id by unique attribute; undefined when Identity Center says it does not exist. */
  private async lookup(
    operation: "GetUserId" | "GetGroupId",
    attributePath: string,
    value: string,
  ): Promise<string | undefined> {
    const storeId = await this.deps.identityStoreId();
    const alternate = { UniqueAttribute: { AttributePath: attributePath, AttributeValue: value } };
    try {
      if (operation === "GetUserId") {
        const out = await this.deps.call(operation, () =>
          this.deps.client.send(
            new GetUserIdCommand({ IdentityStoreId: storeId, AlternateIdentifier: alternate }),
          ),
        );
        return out.UserId;
      }
      const out = await this.deps.call(operation, () =>
        this.deps.client.send(
          new GetGroupIdCommand({ IdentityStoreId: storeId, AlternateIdentifier: alternate }),
        ),
      );
      return out.GroupId;
    } catch (error) {
      const storeMissing = (error as { ResourceType?: string }).ResourceType === "IDENTITY_STORE";
      if (awsErrorName(error) === "ResourceNotFoundException" && !storeMissing) return undefined;
      throw translate(operation, error);
    }
  }
}
