import type { AccountAssignmentOperationStatus } from "@aws-sdk/client-sso-admin";
import { AssignmentRefused } from "../../app/errors.js";
import type {
  AssignmentRequest,
  Clock,
  IdentityCenter,
  OperationKind,
  OperationOutcome,
  Priority,
  SendOptions,
} from "../../app/ports.js";
import type { AssignmentTarget, AssignmentTuple } from "../../domain/grant.js";
import { Directory } from "./directory.js";
import { AlreadyDone, detailOf, translate, UnexpectedResponse } from "./errors.js";
import { guardDeletion, type PrincipalAssignment, userAssignmentOf } from "./guards.js";
import { defaultReserve, PrioritySemaphore, RateLimiter, type Schedule, unrefTimer } from "./limiter.js";
import { GroupMembers } from "./members.js";
import type { IdentityCenterAdapterOptions } from "./options.js";
import { DEFAULT_POLL, outcomeOf, type PollPolicy, StatusPoller } from "./poller.js";
import { DEFAULT_RETRY, type RetryOptions, type RetryPolicy, withRetry } from "./retry.js";
import { OutstandingSlots } from "./slots.js";
import {
  describePermissionSet,
  describeStatus,
  findInstance,
  listInProgress,
  type PermissionSetDetails,
  priorityOf,
  type SsoAdmin,
  sendWrite,
  userAssignmentExists,
} from "./sso-calls.js";
import { TargetIndex } from "./targets.js";

export type { IdentityCenterAdapterOptions, IdentityCenterLimits } from "./options.js";

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Failures that say the call was refused or never left: sending it again cannot make a second operation. */
const REFUSED_UNSENT = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "ExpiredTokenException",
  "RequestExpired",
  "ECONNREFUSED",
  "EAI_AGAIN",
  "ENOTFOUND",
]);

/** IAM Identity Center through the AWS SDK: keeps under its rate and outstanding-operation quotas by itself. */
export class IdentityCenterAdapter implements IdentityCenter {
  private readonly clock: Clock;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly schedule: Schedule;
  private readonly random: () => number;
  private readonly retry: RetryPolicy;
  private readonly poll: PollPolicy;
  private readonly rate: RateLimiter;
  private readonly slots: OutstandingSlots;
  private readonly pollers: Record<OperationKind, StatusPoller>;
  private readonly targets = new TargetIndex();
  private readonly directory: Directory;
  private readonly members: GroupMembers;
  private readonly admin: SsoAdmin;
  /** The same calls, one attempt each: a look made while a write is being retried adds no retries of its own. */
  private readonly adminOnce: SsoAdmin;
  /** The poller's List…Status: it frees outstanding slots, so it goes before status reads that free none. */
  private readonly adminFirst: SsoAdmin;
  private resolved?: Promise<{ instanceArn: string; identityStoreId: string }>;

  constructor(private readonly options: IdentityCenterAdapterOptions) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.sleep = options.sleep ?? realSleep;
    this.schedule = options.schedule ?? unrefTimer;
    this.random = options.random ?? Math.random;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.poll = { ...DEFAULT_POLL, ...options.poll };
    const rps = options.limits?.requestsPerSecond ?? 20;
    const ops = options.limits?.maxOutstanding ?? 15;
    this.rate = new RateLimiter({
      limit: rps,
      reserved: options.limits?.reservedRate ?? defaultReserve(rps),
      schedule: this.schedule,
    });
    this.slots = new OutstandingSlots(
      new PrioritySemaphore(ops, options.limits?.reservedOps ?? defaultReserve(ops)),
      {
        schedule: this.schedule,
        holdMs: this.poll.timeoutMs,
        isAwaited: (kind, requestId) => this.pollers[kind].isAwaiting(requestId),
        logger: options.logger,
      },
    );
    this.admin = {
      client: options.ssoAdmin,
      call: (operation, priority, send) => this.sso(operation, priority, send),
    };
    this.adminOnce = {
      client: options.ssoAdmin,
      call: (operation, priority, send) => this.sso(operation, priority, send, { maxAttempts: 1 }),
    };
    this.adminFirst = {
      client: options.ssoAdmin,
      call: (operation, priority, send) => this.sso(operation, priority, send, { first: true }),
    };
    this.pollers = { creation: this.poller("creation"), deletion: this.poller("deletion") };
    this.directory = new Directory({
      client: options.identityStore,
      identityStoreId: async () => (await this.instance()).identityStoreId,
      call: (operation, send) => withRetry(operation, send, this.retryOptions()),
      clock: this.clock,
      ttlMs: options.cacheTtlMs ?? 300_000,
      negativeTtlMs: options.negativeCacheTtlMs ?? Math.min(options.cacheTtlMs ?? 300_000, 30_000),
      logger: options.logger,
    });
    this.members = new GroupMembers({
      client: options.identityStore,
      identityStoreId: async () => (await this.instance()).identityStoreId,
      groupIdByName: (name) => this.directory.groupIdByName(name),
      call: (operation, send) => withRetry(operation, send, this.retryOptions()),
      clock: this.clock,
      ttlMs: options.cacheTtlMs ?? 300_000,
    });
  }

  /** Emails of up to `limit` members of a group, to mention approvers in Slack. */
  groupMemberEmails(groupName: string, limit: number): Promise<string[]> {
    return this.members.emailsOf(groupName, limit);
  }

  userIdByEmail(email: string): Promise<string | undefined> {
    return this.directory.userIdByEmail(email);
  }

  groupsOf(
    userId: string,
    groupNames: readonly string[],
    options: { fresh?: boolean } = {},
  ): Promise<string[]> {
    return this.directory.groupsOf(userId, groupNames, options);
  }

  /** Whether a group with this display name exists, for `doctor`. */
  async groupExists(name: string): Promise<boolean> {
    return (await this.directory.groupIdByName(name)) !== undefined;
  }

  /** Only a USER assignment counts: access through a group assignment is not the user's own. */
  async assignmentExists(target: AssignmentTarget, priority: Priority = "grant"): Promise<boolean> {
    const { instanceArn } = await this.instance();
    return userAssignmentExists(this.admin, instanceArn, target, priority);
  }

  async startCreation(target: AssignmentTarget, options: SendOptions = {}): Promise<AssignmentRequest> {
    const { instanceArn } = await this.instance();
    const sendBy = await this.slots.acquire("grant", options.intend);
    try {
      return this.accepted(
        "creation",
        await this.write("creation", instanceArn, userAssignmentOf(target), options.intend, sendBy),
      );
    } catch (error) {
      this.slots.cancel("grant");
      throw error;
    }
  }

  /** Deletes only what the tuple proves the bot created and nobody holds (invariants 1 and 2). */
  async startDeletion(
    tuple: AssignmentTuple,
    options: SendOptions = {},
  ): Promise<AssignmentRequest | { gone: true }> {
    guardDeletion(tuple);
    const { instanceArn } = await this.instance();
    const sendBy = await this.slots.acquire("revoke", options.intend);
    try {
      return this.accepted(
        "deletion",
        await this.write("deletion", instanceArn, userAssignmentOf(tuple.target), options.intend, sendBy),
      );
    } catch (error) {
      this.slots.cancel("revoke");
      if (error instanceof AlreadyDone) return this.confirmGone(tuple.target, error);
      throw error;
    }
  }

  /**
   * Polls with the other awaits of its kind; gives the request's outstanding slot back when the await ends. A request
   * this process did not send (another driver's, before a restart or a hand-over) takes a slot while it is awaited:
   * Identity Center counts it against the same 15 until it ends.
   */
  async awaitOperation(kind: OperationKind, requestId: string, until: number): Promise<OperationOutcome> {
    const poller = this.pollers[kind];
    if (!this.slots.holds(requestId) && !poller.knows(requestId)) {
      await this.slots.acquire(priorityOf(kind));
      this.slots.keep(kind, priorityOf(kind), requestId);
    }
    return poller.wait(requestId, until);
  }

  /** The IN_PROGRESS request for the target: List…Status(IN_PROGRESS), then Describe of candidates not yet known. */
  async findInProgress(
    kind: OperationKind,
    target: AssignmentTarget,
    sso: SsoAdmin = this.admin,
  ): Promise<string | undefined> {
    const { instanceArn } = await this.instance();
    const running = await listInProgress(sso, kind, instanceArn);
    for (const requestId of running) {
      let key = this.targets.get(requestId);
      if (key === undefined) {
        const status = await describeStatus(sso, kind, instanceArn, requestId);
        key = this.targets.record(requestId, status);
        const outcome = outcomeOf(requestId, status);
        if (outcome) {
          this.pollers[kind].remember(outcome);
          continue;
        }
      }
      if (key === TargetIndex.keyOf(target)) return requestId;
    }
    return undefined;
  }

  /** Name and session duration (ISO-8601) of each ARN, for activations and `doctor`; `found: false` for an unknown ARN. */
  async describePermissionSets(arns: readonly string[]): Promise<PermissionSetDetails[]> {
    const { instanceArn } = await this.instance();
    const out: PermissionSetDetails[] = [];
    for (const arn of arns) out.push(await describePermissionSet(this.admin, instanceArn, arn));
    return out;
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

  private poller(kind: OperationKind): StatusPoller {
    return new StatusPoller({
      kind,
      clock: this.clock,
      sleep: this.sleep,
      policy: this.poll,
      describe: async (requestId) =>
        describeStatus(this.admin, kind, (await this.instance()).instanceArn, requestId),
      listInProgress: async () => listInProgress(this.adminFirst, kind, (await this.instance()).instanceArn),
      onSettled: (requestId) => this.slots.release(requestId),
      onLeftInProgress: (requestId) => this.slots.release(requestId),
      slotsWanted: () => this.slots.waiting() > 0,
      logger: this.options.logger,
    });
  }

  /**
   * One Create or Delete. A ConflictException means an operation on the same assignment is running: if it is one of
   * the same kind (ours, whose answer was lost, or another driver's), its request id is taken instead of sending
   * another; otherwise the call is retried with backoff. A call that failed without an answer refusing it (a time-out,
   * a dropped connection, a server error) may have reached Identity Center: before it is sent again, an operation of
   * the same kind in progress is looked for once (one attempt per call) and taken. One that already ended is not
   * looked for: sent again, a deletion is answered ResourceNotFound (gone, once the assignment is confirmed absent).
   */
  private async write(
    kind: OperationKind,
    instanceArn: string,
    assignment: PrincipalAssignment,
    intend: SendOptions["intend"],
    intended: number | undefined,
  ): Promise<AccountAssignmentOperationStatus> {
    const operation = kind === "creation" ? "CreateAccountAssignment" : "DeleteAccountAssignment";
    const target = {
      userId: assignment.principalId,
      accountId: assignment.accountId,
      permissionSetArn: assignment.permissionSetArn,
    };
    let looked = false;
    let sought = false;
    // The intent was recorded just before the slot was taken; again before any attempt that would leave after it.
    let sendBy = intended;
    const stale = () => intend !== undefined && sendBy !== undefined && this.clock.now() > sendBy;
    // After a long wait for the slot, afresh before a rate token is taken (a slow store write holds none); `intend`
    // itself tries again while its write answers late. Inside the token (after a long wait for it, or a retry's
    // back-off) it is recorded once: a store that slow gives the token back and nothing is sent.
    if (intend && stale()) sendBy = await intend();
    const send = async () => {
      if (intend && stale()) sendBy = await intend({ once: true });
      return sendWrite(this.options.ssoAdmin, kind, instanceArn, assignment);
    };
    // It holds an outstanding slot while it waits for a rate token: it goes before status reads, which hold none.
    return this.sso(operation, priorityOf(kind), send, {
      first: true,
      onRetryable: async (verdict) => {
        if (verdict.code === "ConflictException") {
          if (looked) return undefined;
          looked = true;
          return this.runningOf(kind, target);
        }
        if (REFUSED_UNSENT.has(verdict.code) || sought) return undefined;
        sought = true;
        return this.runningOf(kind, target, this.adminOnce);
      },
    });
  }

  /** The operation of this kind in progress on the target, as a Create or Delete answer would give it. */
  private async runningOf(
    kind: OperationKind,
    target: AssignmentTarget,
    sso: SsoAdmin = this.admin,
  ): Promise<AccountAssignmentOperationStatus | undefined> {
    const running = await this.findInProgress(kind, target, sso).catch(() => undefined);
    if (!running) return undefined;
    this.options.logger?.info("taking over an operation already in progress", { kind, running });
    return { RequestId: running, Status: "IN_PROGRESS" };
  }

  /** The accepted request keeps its outstanding slot until its await ends (or nobody awaits it for too long). */
  private accepted(kind: OperationKind, status: AccountAssignmentOperationStatus): AssignmentRequest {
    const requestId = status.RequestId;
    if (!requestId) throw new UnexpectedResponse(`Identity Center accepted a ${kind} without a request id`);
    this.slots.keep(kind, priorityOf(kind), requestId);
    if (status.TargetId) this.targets.record(requestId, status);
    const outcome = outcomeOf(requestId, status);
    if (outcome) this.pollers[kind].remember(outcome);
    return { requestId };
  }

  /** DeleteAccountAssignment said ResourceNotFound: gone only if ListAccountAssignments agrees. */
  private async confirmGone(target: AssignmentTarget, notFound: AlreadyDone): Promise<{ gone: true }> {
    if (!(await this.assignmentExists(target, "revoke"))) {
      this.options.logger?.info("assignment already gone; nothing to delete", {
        detail: detailOf(notFound.cause),
      });
      return { gone: true };
    }
    throw new AssignmentRefused(
      "DeleteAccountAssignment",
      "not-found",
      `ResourceNotFoundException while the assignment is still listed: ${detailOf(notFound.cause)}`,
      { cause: notFound.cause },
    );
  }

  private retryOptions() {
    return { ...this.retry, sleep: this.sleep, random: this.random };
  }

  /**
   * One SSO Admin call: every attempt takes a rate-limiter token (with `first`, before waiting calls that did not ask
   * to); failures leave as ServiceErrors.
   */
  private sso<T>(
    operation: string,
    priority: Priority,
    send: () => Promise<T>,
    options: { onRetryable?: RetryOptions<T>["onRetryable"]; maxAttempts?: number; first?: boolean } = {},
  ): Promise<T> {
    return withRetry(operation, () => this.rate.run(priority, send, options.first), {
      ...this.retryOptions(),
      maxAttempts: options.maxAttempts ?? this.retry.maxAttempts,
      ...(options.onRetryable ? { onRetryable: options.onRetryable } : {}),
    }).catch((error: unknown) => {
      throw translate(operation, error);
    });
  }
}
