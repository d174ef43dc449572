import { copyFaults, DEFAULT_FAULTS, takeRefusal } from "./faults.js";
import { identityStoreHandlers } from "./identity-store.js";
import { SimOperations } from "./operations.js";
import { type Input, SimError, seededRandom } from "./protocol.js";
import { type SimServer, serve } from "./server.js";
import { type Handler, ssoAdminHandlers } from "./sso-admin.js";
import { SimState } from "./state.js";
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

function emptyStats(): SimStats {
  return {
    calls: 0,
    ssoAdminCalls: 0,
    maxSsoAdminCallsPerSecond: 0,
    maxOutstandingCreations: 0,
    maxOutstandingOperations: 0,
    throttled: { injected: 0, rate: 0, outstanding: 0 },
    byOperation: {},
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
  /** Send the answer this many ms late, or never (the call was handled all the same). */
  delay?: number | "never";
}

/** Local IAM Identity Center (SSO Admin + Identity Store) for tests, the sandbox and benchmarks. */
export class IdentityCenterSimulator {
  private state = new SimState();
  private faults: SimFaults = copyFaults(DEFAULT_FAULTS);
  private random = seededRandom(DEFAULT_FAULTS.seed);
  private durations = seededRandom(DEFAULT_FAULTS.seed);
  private log: SimCall[] = [];
  private counters = emptyStats();
  private arrivals: number[] = [];
  private accepted: number[] = [];
  private readonly ops: SimOperations;
  private readonly now: () => number;
  private ssoAdmin: Record<string, Handler> = {};
  private identityStore: Record<string, Handler> = {};

  constructor(options: { now?: () => number; seed?: SimSeed; faults?: Partial<SimFaults> } = {}) {
    this.now = options.now ?? Date.now;
    this.ops = new SimOperations({
      state: () => this.state,
      faults: () => this.faults,
      stats: () => this.counters,
      now: () => this.now(),
      duration: () => this.duration(),
    });
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
  /** Takes a user (by id) out of a group (by id). */
  removeMember(group: string, user: string): void {
    this.state.removeMember(group, user);
  }

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

  /** Changes the given faults and keeps the others; lands stuck operations whose tuple is no longer listed. */
  setFaults(faults: Partial<SimFaults>): SimFaults {
    this.faults = copyFaults({ ...this.faults, ...faults });
    if (faults.seed !== undefined || faults.throttleShare !== undefined) {
      this.random = seededRandom(this.faults.seed);
    }
    if (faults.seed !== undefined || faults.delayRangeMs !== undefined) {
      this.durations = seededRandom(this.faults.seed);
    }
    this.ops.unpark();
    return copyFaults(this.faults);
  }

  /** Creations and deletions IN_PROGRESS now. */
  outstanding(): number {
    return this.ops.outstanding();
  }

  calls(): SimCall[] {
    return [...this.log];
  }

  stats(): SimStats {
    return {
      ...this.counters,
      throttled: { ...this.counters.throttled },
      byOperation: { ...this.counters.byOperation },
    };
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
    this.ops.reset();
    this.state = new SimState();
    this.wire();
    this.faults = copyFaults(DEFAULT_FAULTS);
    this.random = seededRandom(DEFAULT_FAULTS.seed);
    this.durations = seededRandom(DEFAULT_FAULTS.seed);
    this.clearCalls();
  }

  snapshot() {
    return { ...this.state.snapshot(), faults: copyFaults(this.faults) };
  }

  /** Answers one AWS JSON 1.1 call, named by its X-Amz-Target. */
  handle(target: string, input: unknown): SimReply {
    const [prefix, operation = ""] = target.split(".");
    const service = prefix === SSO_ADMIN_TARGET ? "sso-admin" : "identitystore";
    const at = this.now();
    const body = (typeof input === "object" && input !== null ? input : {}) as Input;
    this.counters.calls += 1;
    this.counters.byOperation[operation] = (this.counters.byOperation[operation] ?? 0) + 1;
    const delay = this.answerDelay(operation);
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
      this.admit(service, operation, body, at);
      const result = handler(body);
      this.log.push({ at, service, operation, input: body, outcome: "ok" });
      return { status: 200, headers: {}, body: result, ...delay };
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
        ...delay,
      };
    }
  }

  start(port = 0): Promise<SimServer> {
    return serve(this, port);
  }

  private wire(): void {
    this.ssoAdmin = ssoAdminHandlers({ state: this.state, begin: (kind, a) => this.ops.begin(kind, a) });
    this.identityStore = identityStoreHandlers(this.state);
  }

  private answerDelay(operation: string): { delay?: number | "never" } {
    const { hangOperations, answerDelayMs } = this.faults;
    if (hangOperations.includes("*") || hangOperations.includes(operation)) return { delay: "never" };
    return answerDelayMs > 0 ? { delay: answerDelayMs } : {};
  }

  private duration(): number {
    const range = this.faults.delayRangeMs;
    if (!range) return this.faults.delayMs;
    const [min, max] = range;
    return Math.round(min + this.durations() * (max - min));
  }

  /** Injected throttling, the request-rate limit, injected server errors and refusals, in that order. */
  private admit(service: SimCall["service"], operation: string, input: Input, at: number): void {
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
    const refusal = takeRefusal(this.faults, operation, input);
    if (refusal) throw refusal;
  }
}
