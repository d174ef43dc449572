import { randomUUID } from "node:crypto";
import { identityStoreHandlers } from "./identity-store.js";
import { type Input, SimError, seededRandom } from "./protocol.js";
import { type SimServer, serve } from "./server.js";
import { type Handler, ssoAdminHandlers } from "./sso-admin.js";
import { assignmentKey, SimState } from "./state.js";
import type {
  SimAccount,
  SimAssignment,
  SimCall,
  SimFaults,
  SimGroup,
  SimOperation,
  SimPermissionSet,
  SimSeed,
  SimStats,
  SimUser,
} from "./types.js";

export const SSO_ADMIN_TARGET = "SWBExternalService";
export const IDENTITY_STORE_TARGET = "AWSIdentityStore";

const DEFAULT_FAULTS: SimFaults = {
  throttleShare: 0,
  seed: 1,
  maxOutstanding: 15,
  delayMs: 50,
  failTuples: [],
  failOperations: [],
};

function emptyStats(): SimStats {
  return {
    calls: 0,
    ssoAdminCalls: 0,
    maxSsoAdminCallsPerSecond: 0,
    maxOutstandingCreations: 0,
    maxOutstandingOperations: 0,
    throttled: { injected: 0, rate: 0, outstanding: 0 },
  };
}

/** Drops entries older than one second and returns how many are left. */
function slide(window: number[], now: number): number {
  while (window.length > 0 && (window[0] ?? now) <= now - 1000) window.shift();
  return window.length;
}

export interface SimReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Local IAM Identity Center (SSO Admin + Identity Store) for tests, the sandbox and benchmarks. */
export class IdentityCenterSimulator {
  private state = new SimState();
  private faults: SimFaults = { ...DEFAULT_FAULTS };
  private random = seededRandom(DEFAULT_FAULTS.seed);
  private log: SimCall[] = [];
  private counters = emptyStats();
  private arrivals: number[] = [];
  private accepted: number[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly now: () => number;
  private ssoAdmin: Record<string, Handler> = {};
  private identityStore: Record<string, Handler> = {};

  constructor(options: { now?: () => number; seed?: SimSeed; faults?: Partial<SimFaults> } = {}) {
    this.now = options.now ?? Date.now;
    this.wire();
    if (options.seed) this.seed(options.seed);
    if (options.faults) this.setFaults(options.faults);
  }

  get instance() {
    return { ...this.state.instance };
  }

  addUser(user: Omit<SimUser, "id"> & { id?: string }): SimUser {
    return this.state.addUser(user);
  }

  addGroup(group: Omit<SimGroup, "id"> & { id?: string }): SimGroup {
    return this.state.addGroup(group);
  }

  /** `group` is an id or display name, `user` an id or user name. */
  addMember(group: string, user: string): void {
    this.state.addMember(group, user);
  }

  addPermissionSet(ps: Omit<SimPermissionSet, "arn"> & { arn?: string }): SimPermissionSet {
    return this.state.addPermissionSet(ps);
  }

  addAccount(account: SimAccount): SimAccount {
    return this.state.addAccount(account);
  }

  /** Seeds a baseline assignment (of a user or a group) directly, without an operation. */
  addAssignment(assignment: SimAssignment): void {
    this.state.addAssignment(assignment);
  }

  seed(seed: SimSeed): void {
    this.state.seed(seed);
  }

  assignments(): SimAssignment[] {
    return [...this.state.assignments.values()].map((a) => ({ ...a }));
  }

  operations(): SimOperation[] {
    return [...this.state.operations.values()].map((op) => ({ ...op }));
  }

  setFaults(faults: Partial<SimFaults>): SimFaults {
    this.faults = { ...this.faults, ...faults };
    if (faults.seed !== undefined || faults.throttleShare !== undefined) {
      this.random = seededRandom(this.faults.seed);
    }
    return { ...this.faults };
  }

  calls(): SimCall[] {
    return [...this.log];
  }

  stats(): SimStats {
    return { ...this.counters, throttled: { ...this.counters.throttled } };
  }

  /** Forgets the call log and statistics, keeping state and faults. */
  clearCalls(): void {
    this.log = [];
    this.counters = emptyStats();
    this.arrivals = [];
    this.accepted = [];
  }

  /** Back to an empty simulator: no state, default faults, no calls, no pending operations. */
  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.state = new SimState();
    this.wire();
    this.faults = { ...DEFAULT_FAULTS };
    this.random = seededRandom(DEFAULT_FAULTS.seed);
    this.clearCalls();
  }

  snapshot() {
    return { ...this.state.snapshot(), faults: this.faults };
  }

  /** Answers one AWS JSON 1.1 call, named by its X-Amz-Target. */
  handle(target: string, input: unknown): SimReply {
    const [prefix, operation = ""] = target.split(".");
    const service = prefix === SSO_ADMIN_TARGET ? "sso-admin" : "identitystore";
    const at = this.now();
    const body = (typeof input === "object" && input !== null ? input : {}) as Input;
    this.counters.calls += 1;
    if (service === "sso-admin") {
      this.counters.ssoAdminCalls += 1;
      this.arrivals.push(at);
      const inWindow = slide(this.arrivals, at);
      this.counters.maxSsoAdminCallsPerSecond = Math.max(this.counters.maxSsoAdminCallsPerSecond, inWindow);
    }
    try {
      const handlers = service === "sso-admin" ? this.ssoAdmin : this.identityStore;
      const handler =
        prefix === SSO_ADMIN_TARGET || prefix === IDENTITY_STORE_TARGET ? handlers[operation] : undefined;
      if (!handler) throw new SimError("UnknownOperationException", `Unknown operation ${target}`);
      this.admit(service, operation, at);
      const result = handler(body);
      this.log.push({ at, service, operation, input: body, outcome: "ok" });
      return { status: 200, headers: {}, body: result };
    } catch (error) {
      const err =
        error instanceof SimError ? error : new SimError("InternalServerException", String(error), 500);
      this.log.push({ at, service, operation, input: body, outcome: err.type });
      return {
        status: err.status,
        headers: { "x-amzn-errortype": err.type },
        body: {
          __type: `com.amazonaws.${service === "sso-admin" ? "ssoadmin" : "identitystore"}#${err.type}`,
          Message: err.message,
          ...err.extra,
        },
      };
    }
  }

  start(port = 0): Promise<SimServer> {
    return serve(this, port);
  }

  private wire(): void {
    this.ssoAdmin = ssoAdminHandlers({ state: this.state, begin: (kind, a) => this.begin(kind, a) });
    this.identityStore = identityStoreHandlers(this.state);
  }

  /** Injected throttling, the request-rate limit and injected server errors, in that order. */
  private admit(service: SimCall["service"], operation: string, at: number): void {
    if (this.faults.throttleShare > 0 && this.random() < this.faults.throttleShare) {
      this.counters.throttled.injected += 1;
      throw new SimError("ThrottlingException", "Rate exceeded");
    }
    const limit = this.faults.requestsPerSecond;
    if (service === "sso-admin" && limit !== undefined) {
      if (slide(this.accepted, at) >= limit) {
        this.counters.throttled.rate += 1;
        throw new SimError("ThrottlingException", `Rate exceeded: more than ${limit} requests in 1 second`);
      }
      this.accepted.push(at);
    }
    if (this.faults.failOperations.includes(operation)) {
      throw new SimError("InternalServerException", `${operation} failed (injected)`, 500);
    }
  }

  private outstanding(kind?: SimOperation["kind"]): number {
    let n = 0;
    for (const op of this.state.operations.values()) {
      if (op.status === "IN_PROGRESS" && (kind === undefined || op.kind === kind)) n += 1;
    }
    return n;
  }

  /** Starts a creation or deletion that lands after `delayMs`; conflicts and the quota answer like AWS. */
  private begin(kind: SimOperation["kind"], assignment: SimAssignment): SimOperation {
    const key = assignmentKey(assignment);
    if (this.state.inFlight.has(key)) {
      throw new SimError(
        "ConflictException",
        "An account assignment operation for this principal, account and permission set is already in progress",
      );
    }
    const all = this.outstanding() + 1;
    if (kind === "creation") {
      this.counters.maxOutstandingCreations = Math.max(
        this.counters.maxOutstandingCreations,
        this.outstanding("creation") + 1,
      );
    }
    this.counters.maxOutstandingOperations = Math.max(this.counters.maxOutstandingOperations, all);
    if (all > this.faults.maxOutstanding) {
      this.counters.throttled.outstanding += 1;
      throw new SimError(
        "ThrottlingException",
        `Too many outstanding account assignment operations (limit ${this.faults.maxOutstanding})`,
      );
    }
    const op: SimOperation = {
      requestId: randomUUID(),
      kind,
      assignment,
      status: "IN_PROGRESS",
      createdAt: this.now(),
    };
    this.state.operations.set(op.requestId, op);
    this.state.inFlight.set(key, op.requestId);
    const state = this.state;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.land(state, op);
    }, this.faults.delayMs);
    timer.unref();
    this.timers.add(timer);
    return { ...op };
  }

  private land(state: SimState, op: SimOperation): void {
    const key = assignmentKey(op.assignment);
    state.inFlight.delete(key);
    const a = op.assignment;
    const failure = this.faults.failTuples.find(
      (f) =>
        f.principalId === a.principalId &&
        f.accountId === a.accountId &&
        f.permissionSetArn === a.permissionSetArn,
    );
    const principalKnown =
      a.principalType === "USER" ? state.users.has(a.principalId) : state.groups.has(a.principalId);
    let reason: string | undefined;
    if (op.kind === "creation") {
      if (failure) reason = failure.reason;
      else if (!principalKnown)
        reason = `${a.principalType} ${a.principalId} does not exist in the identity store`;
      else if (!state.accounts.has(a.accountId))
        reason = `Account ${a.accountId} is not part of the organization`;
      else state.assignments.set(key, { ...a });
    } else if (state.assignments.has(key)) {
      state.assignments.delete(key);
    } else {
      reason = "The account assignment does not exist";
    }
    op.status = reason === undefined ? "SUCCEEDED" : "FAILED";
    if (reason !== undefined) op.failureReason = reason;
  }
}
