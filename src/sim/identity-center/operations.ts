import { randomUUID } from "node:crypto";
import { tupleMatches } from "./faults.js";
import { notFound, SimError } from "./protocol.js";
import { assignmentKey, type SimState } from "./state.js";
import type { SimAssignment, SimFaults, SimOperation, SimStats } from "./types.js";

export interface OperationDeps {
  state(): SimState;
  faults(): SimFaults;
  stats(): SimStats;
  now(): number;
  /** How long the next operation stays IN_PROGRESS. */
  duration(): number;
}

/** Asynchronous creations and deletions: accepted IN_PROGRESS, landed later as SUCCEEDED or FAILED. */
export class SimOperations {
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Operations whose tuple is stuck: they land once it is taken off `stuckTuples`. */
  private parked = new Set<{ state: SimState; op: SimOperation }>();

  constructor(private readonly deps: OperationDeps) {}

  outstanding(kind?: SimOperation["kind"]): number {
    let n = 0;
    for (const op of this.deps.state().operations.values()) {
      if (op.status === "IN_PROGRESS" && (kind === undefined || op.kind === kind)) n += 1;
    }
    return n;
  }

  /**
   * Starts a creation or deletion. Like Identity Center: ConflictException while an operation on the same
   * assignment is in progress, ThrottlingException beyond the outstanding quota, and a creation of an assignment
   * that exists is accepted and succeeds.
   */
  begin(kind: SimOperation["kind"], assignment: SimAssignment): SimOperation {
    const state = this.deps.state();
    const faults = this.deps.faults();
    const stats = this.deps.stats();
    const key = assignmentKey(assignment);
    if (state.inFlight.has(key)) {
      throw new SimError(
        "ConflictException",
        "An account assignment operation for this principal, account and permission set is already in progress",
      );
    }
    if (kind === "deletion" && faults.missingDeletion === "not-found" && !state.assignments.has(key)) {
      throw notFound("The account assignment does not exist");
    }
    const all = this.outstanding() + 1;
    if (kind === "creation") {
      stats.maxOutstandingCreations = Math.max(
        stats.maxOutstandingCreations,
        this.outstanding("creation") + 1,
      );
    }
    stats.maxOutstandingOperations = Math.max(stats.maxOutstandingOperations, all);
    if (all > faults.maxOutstanding) {
      stats.throttled.outstanding += 1;
      throw new SimError(
        "ThrottlingException",
        `Too many outstanding account assignment operations (limit ${faults.maxOutstanding})`,
      );
    }
    const op: SimOperation = {
      requestId: randomUUID(),
      kind,
      assignment,
      status: "IN_PROGRESS",
      createdAt: this.deps.now(),
      durationMs: this.deps.duration(),
    };
    state.operations.set(op.requestId, op);
    state.inFlight.set(key, op.requestId);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.land(state, op);
    }, op.durationMs);
    timer.unref();
    this.timers.add(timer);
    return { ...op };
  }

  /** Lands every parked operation whose tuple is no longer stuck. */
  unpark(): void {
    for (const entry of [...this.parked]) {
      if (this.isStuck(entry.op)) continue;
      this.parked.delete(entry);
      this.land(entry.state, entry.op);
    }
  }

  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.parked = new Set();
  }

  private isStuck(op: SimOperation): boolean {
    return this.deps.faults().stuckTuples.some((t) => tupleMatches(t, op));
  }

  private land(state: SimState, op: SimOperation): void {
    if (this.isStuck(op)) {
      this.parked.add({ state, op });
      return;
    }
    const key = assignmentKey(op.assignment);
    state.inFlight.delete(key);
    const a = op.assignment;
    const failure = this.deps
      .faults()
      .failTuples.find((f) => tupleMatches({ ...f, kind: f.kind ?? "creation" }, op));
    const principalKnown =
      a.principalType === "USER" ? state.users.has(a.principalId) : state.groups.has(a.principalId);
    let reason: string | undefined;
    if (failure) reason = failure.reason;
    else if (op.kind === "creation") {
      if (!principalKnown)
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
