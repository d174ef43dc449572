import type { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import {
  type AccountAssignmentOperationStatus,
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  type SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import type { AssignmentOutcome, Clock, IdentityCenter, Logger } from "../../app/ports.js";
import { AssignmentFailed, UnsafeDeletion } from "../../domain/errors.js";
import type { AssignmentTarget, AssignmentTuple } from "../../domain/grant.js";
import { Directory } from "./directory.js";
import { IdentityCenterError, IdentityCenterRequestFailed, translate } from "./errors.js";
import { RateLimiter, Semaphore } from "./limiter.js";
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from "./retry.js";
import {
  findInstance,
  type PollPolicy,
  permissionSets,
  type SsoAdmin,
  settle,
  userAssignmentExists,
} from "./sso-calls.js";

export type { PollPolicy } from "./sso-calls.js";

/** Clients must have `maxAttempts: 1`: SDK-side retries would slip past the adapter's limiter. */
export interface IdentityCenterAdapterOptions {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
  instanceArn?: string;
  identityStoreId?: string;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  limits?: { requestsPerSecond?: number; maxOutstandingCreations?: number };
  cacheTtlMs?: number;
  /** Unknown users and groups are asked again sooner than known ones. */
  negativeCacheTtlMs?: number;
  poll?: Partial<PollPolicy>;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
}

/** A USER or GROUP assignment, as deleteUserAssignment is asked for it. */
export interface PrincipalAssignment {
  principalType: "USER" | "GROUP";
  principalId: string;
  accountId: string;
  permissionSetArn: string;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** IAM Identity Center through the AWS SDK: keeps under its rate and outstanding-operation quotas by itself. */
export class IdentityCenterAdapter implements IdentityCenter {
  private readonly clock: Clock;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly retry: RetryPolicy;
  private readonly poll: PollPolicy;
  private readonly rate: RateLimiter;
  private readonly outstanding: Semaphore;
  private readonly directory: Directory;
  private readonly admin: SsoAdmin;
  private resolved?: Promise<{ instanceArn: string; identityStoreId: string }>;

  constructor(private readonly options: IdentityCenterAdapterOptions) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.poll = { initialMs: 500, maxMs: 5_000, timeoutMs: 300_000, ...options.poll };
    this.rate = new RateLimiter({ limit: options.limits?.requestsPerSecond ?? 20 });
    this.outstanding = new Semaphore(options.limits?.maxOutstandingCreations ?? 15);
    this.admin = {
      client: options.ssoAdmin,
      call: (operation, send) => this.sso(operation, send),
      clock: this.clock,
      sleep: this.sleep,
      poll: this.poll,
    };
    this.directory = new Directory({
      client: options.identityStore,
      identityStoreId: async () => (await this.instance()).identityStoreId,
      call: (operation, send) => withRetry(operation, send, this.retryOptions()),
      clock: this.clock,
      ttlMs: options.cacheTtlMs ?? 300_000,
      negativeTtlMs: options.negativeCacheTtlMs ?? Math.min(options.cacheTtlMs ?? 300_000, 30_000),
      logger: options.logger,
    });
  }

  userIdByEmail(email: string): Promise<string | undefined> {
    return this.directory.userIdByEmail(email);
  }

  groupsOf(userId: string, groupNames: readonly string[]): Promise<string[]> {
    return this.directory.groupsOf(userId, groupNames);
  }

  /** Only a USER assignment counts: access through a group assignment is not the user's own. */
  async assignmentExists(target: AssignmentTarget): Promise<boolean> {
    const { instanceArn } = await this.instance();
    return userAssignmentExists(this.admin, instanceArn, target).catch((error: unknown) => {
      throw translate("ListAccountAssignments", error);
    });
  }

  async createAssignment(target: AssignmentTarget): Promise<AssignmentOutcome> {
    const { instanceArn } = await this.instance();
    const input = {
      InstanceArn: instanceArn,
      TargetId: target.accountId,
      TargetType: "AWS_ACCOUNT" as const,
      PermissionSetArn: target.permissionSetArn,
      PrincipalType: "USER" as const,
      PrincipalId: target.userId,
    };
    return this.outstanding.run(async () => {
      let started: Awaited<ReturnType<typeof this.startCreation>>;
      try {
        started = await this.startCreation(input);
      } catch (error) {
        // Refused outright (not throttled away): Identity Center changed nothing.
        throw asAssignmentFailed("create", error, error instanceof IdentityCenterRequestFailed);
      }
      try {
        const final = await settle(
          this.admin,
          "creation",
          instanceArn,
          started.AccountAssignmentCreationStatus,
        );
        if (final.Status === "FAILED") {
          throw new AssignmentFailed(`Identity Center could not create the assignment: ${reasonOf(final)}`, {
            definitive: true,
          });
        }
        return { requestId: final.RequestId ?? "" };
      } catch (error) {
        throw asAssignmentFailed("create", error);
      }
    });
  }

  private startCreation(input: ConstructorParameters<typeof CreateAccountAssignmentCommand>[0]) {
    return this.sso("CreateAccountAssignment", () =>
      this.options.ssoAdmin.send(new CreateAccountAssignmentCommand(input)),
    );
  }

  /** Deletes only what the tuple proves the bot created and nobody holds (invariants 1 and 2). */
  async deleteAssignment(tuple: AssignmentTuple): Promise<AssignmentOutcome> {
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
      throw new UnsafeDeletion(
        `refusing to delete an assignment whose tuple is ${tuple.state}, not deleting`,
      );
    }
    return this.deleteUserAssignment({
      principalType: "USER",
      principalId: tuple.target.userId,
      accountId: tuple.target.accountId,
      permissionSetArn: tuple.target.permissionSetArn,
    });
  }

  /** The last guard before DeleteAccountAssignment: group assignments are never the bot's to delete. */
  async deleteUserAssignment(assignment: PrincipalAssignment): Promise<AssignmentOutcome> {
    if (assignment.principalType !== "USER") {
      throw new UnsafeDeletion(`refusing to delete a ${assignment.principalType} assignment; only USER ones`);
    }
    const { instanceArn } = await this.instance();
    const target = {
      userId: assignment.principalId,
      accountId: assignment.accountId,
      permissionSetArn: assignment.permissionSetArn,
    };
    return this.outstanding.run(async () => {
      try {
        const started = await this.sso("DeleteAccountAssignment", () =>
          this.options.ssoAdmin.send(
            new DeleteAccountAssignmentCommand({
              InstanceArn: instanceArn,
              TargetId: assignment.accountId,
              TargetType: "AWS_ACCOUNT",
              PermissionSetArn: assignment.permissionSetArn,
              PrincipalType: "USER",
              PrincipalId: assignment.principalId,
            }),
          ),
        );
        const final = await settle(
          this.admin,
          "deletion",
          instanceArn,
          started.AccountAssignmentDeletionStatus,
        );
        if (final.Status === "FAILED" && (await this.assignmentExists(target))) {
          throw new AssignmentFailed(`Identity Center could not delete the assignment: ${reasonOf(final)}`);
        }
        if (final.Status === "FAILED") {
          this.options.logger?.info("assignment already gone; deletion counts as done", {
            reason: reasonOf(final),
          });
        }
        return { requestId: final.RequestId ?? "" };
      } catch (error) {
        throw asAssignmentFailed("delete", error);
      }
    });
  }

  /** Permission sets of the instance, for `doctor`. */
  async listPermissionSets(): Promise<Array<{ arn: string; name: string }>> {
    const { instanceArn } = await this.instance();
    return permissionSets(this.admin, instanceArn).catch((error: unknown) => {
      throw translate("ListPermissionSets", error);
    });
  }

  /** Instance ARN and identity store id: from the options, else the first instance ListInstances shows. */
  instance(): Promise<{ instanceArn: string; identityStoreId: string }> {
    this.resolved ??= this.resolveInstance().catch((error: unknown) => {
      this.resolved = undefined;
      throw translate("ListInstances", error);
    });
    return this.resolved;
  }

  private async resolveInstance(): Promise<{ instanceArn: string; identityStoreId: string }> {
    const { instanceArn, identityStoreId } = this.options;
    if ((await this.options.ssoAdmin.config.maxAttempts()) > 1) {
      this.options.logger?.warn("SSO Admin client retries by itself; build it with maxAttempts: 1");
    }
    if (instanceArn && identityStoreId) return { instanceArn, identityStoreId };
    const found = await findInstance(this.admin, instanceArn);
    return { instanceArn: found.instanceArn, identityStoreId: identityStoreId ?? found.identityStoreId };
  }

  private retryOptions() {
    return { ...this.retry, sleep: this.sleep, random: this.random };
  }

  /** One SSO Admin call: every attempt takes a rate-limiter token. */
  private sso<T>(operation: string, send: () => Promise<T>): Promise<T> {
    return withRetry(operation, () => this.rate.run(send), this.retryOptions());
  }
}

function reasonOf(status: AccountAssignmentOperationStatus): string {
  return status.FailureReason ?? "no reason given";
}

/** Every way a create or delete can fail, as the one domain error the use cases handle. */
function asAssignmentFailed(verb: "create" | "delete", error: unknown, definitive = false): Error {
  if (error instanceof AssignmentFailed || error instanceof UnsafeDeletion) return error;
  if (error instanceof IdentityCenterError) {
    return new AssignmentFailed(`could not ${verb} the assignment: ${error.message}`, {
      cause: error,
      definitive,
    });
  }
  const translated = translate(`${verb === "create" ? "Create" : "Delete"}AccountAssignment`, error);
  return new AssignmentFailed(`could not ${verb} the assignment: ${translated.message}`, {
    cause: translated,
    definitive: definitive && translated instanceof IdentityCenterRequestFailed,
  });
}
