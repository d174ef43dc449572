import { scheduleName, WAKE_EARLY_MS } from "../../src/adapters/scheduler/eventbridge.js";
import type { EngineReport } from "../../src/app/engine.js";
import { type ExpiryFigures, expiryFigures } from "./expiry-figures.js";
import { dueUsers, seedDueGrants, waitForEnd } from "./expiry-world.js";
import type { InvocationRecord } from "./lambda-service.js";
import { LambdaWorld } from "./lambda-world.js";
import { addCounts, countsText, muteLogs } from "./quiet.js";
import { progress, summarize } from "./stats.js";

/** How the simulated Lambda ran the revoker and the worker. */
export interface LambdaFacts {
  wakeUps: number;
  sweeps: number;
  revokerRuns: number;
  revokerThrottles: number;
  coldStarts: number;
  /** Invocations that held the lease (drove grants), and how each stopped. */
  holders: Array<{ kind: string; seconds: number; driven: number; stopped: string }>;
  /** Longest revoker invocation, in seconds, against its timeout. */
  longestS: number;
  timeoutS: number;
  overran: number;
  errors: number;
  workerRuns: number;
  workerThrottles: number;
  /** Events still in Lambda's queue when the run was over (dropped). */
  leftQueued: number;
  /** Of the revoker's runs, how long events waited (queue to start), p50 / max seconds. */
  waitedP50: number;
  waitedMax: number;
}

function kindOf(record: InvocationRecord): string {
  const event = record.event as { sweep?: unknown; grantId?: unknown };
  return event.sweep === true ? "sweep" : "wake-up";
}

function facts(world: LambdaWorld, leftQueued: number, timeoutMs: number): LambdaFacts {
  const revoker = world.service.records.filter((record) => record.fn === "revoker");
  const worker = world.service.records.filter((record) => record.fn === "worker");
  const holders = revoker
    .filter((record) => (record.result as EngineReport | undefined)?.held === true)
    .map((record) => {
      const report = record.result as EngineReport;
      return {
        kind: kindOf(record),
        seconds: (record.endedAt - record.startedAt) / 1000,
        driven: report.driven,
        stopped: report.stopped,
      };
    });
  const waited = summarize(revoker.map((record) => (record.startedAt - record.queuedAt) / 1000));
  return {
    wakeUps: world.firings.filter((firing) => firing.kind === "wake-up").length,
    sweeps: world.firings.filter((firing) => firing.kind === "sweep").length,
    revokerRuns: revoker.length,
    revokerThrottles: world.service.throttled.get("revoker") ?? 0,
    coldStarts: world.service.records.filter((record) => record.cold).length,
    holders,
    longestS: Math.max(0, ...revoker.map((record) => (record.endedAt - record.startedAt) / 1000)),
    timeoutS: timeoutMs / 1000,
    overran: world.service.overran.get("revoker") ?? 0,
    errors: revoker.filter((record) => record.error !== undefined).length,
    workerRuns: worker.length,
    workerThrottles: world.service.throttled.get("worker") ?? 0,
    leftQueued,
    waitedP50: waited.p50,
    waitedMax: waited.max,
  };
}

export interface LambdaRun {
  figures: ExpiryFigures;
  facts: LambdaFacts;
  /** The handlers' log lines by message, and their error lines. */
  logged: string;
}

/**
 * Run 3: `count` grants expiring within one minute, each with its wake-up a minute early; the revoker runs only
 * when Scheduler or the sweep rule invokes it, at the stack's reserved concurrency.
 */
export async function lambdaExpiryRun(
  dynamoEndpoint: string,
  options: { count: number; seed: number; timeoutMs: number },
): Promise<LambdaRun> {
  const muted = muteLogs();
  const world = await LambdaWorld.start(dynamoEndpoint, dueUsers(options.count), options.seed);
  let leftQueued: number;
  try {
    // Far enough ahead that each wake-up can be a whole minute early, as for a grant activated long ago.
    const firstExpiry = Date.now() + WAKE_EARLY_MS + 35_000;
    progress(`lambda: seeding ${options.count} active grants and their wake-ups`);
    const grants = await seedDueGrants(world.dynamo, world.table, world.sim, {
      count: options.count,
      firstExpiry,
      spreadMs: 60_000,
      seed: options.seed,
    });
    await world.scheduleWakeUps(grants);
    if (Date.now() > firstExpiry - WAKE_EARLY_MS - 10_000) progress("lambda: seeding ran late");
    world.sim.clearCalls();
    world.startTriggers();
    await waitForEnd(world.sim, world.store, grants, { stallMs: 300_000, label: "lambda" });
    const figures = await expiryFigures(world.sim, world.store, grants);
    // What still runs finishes (an engine settling, a worker sending); what still waits in the queue is dropped.
    leftQueued = await world.service.stop();
    // The handlers log in the simulated Lambda's processes; this one's lines (if any) count too.
    const logged = new Map(world.service.logged);
    addCounts(logged, muted.logged);
    const failed = new Map(world.service.errors);
    addCounts(failed, muted.errors);
    const errors = failed.size > 0 ? ` | errors: ${countsText(failed)}` : "";
    return {
      figures,
      facts: facts(world, leftQueued, options.timeoutMs),
      logged: `${countsText(logged)}${errors}`,
    };
  } finally {
    await world.stop();
    muted.restore();
  }
}

export interface LoneRun {
  /** Seconds from expiry to the deletion landing, and to the grant recorded ended. */
  accessLagS: number;
  recordLagS: number;
  /** How late the wake-up fired after its time, and what drove the grant. */
  wakeLateS: number;
  drivenBy: string;
  coldStart: boolean;
}

/** A lone grant on Lambda whose wake-up fires as late as Scheduler allows (59 s), on a cold revoker. */
export async function loneGrantRun(dynamoEndpoint: string, options: { seed: number }): Promise<LoneRun> {
  const muted = muteLogs();
  const world = await LambdaWorld.start(dynamoEndpoint, dueUsers(1), options.seed);
  try {
    const expiresAt = Date.now() + WAKE_EARLY_MS + 15_000;
    const [grant] = await seedDueGrants(world.dynamo, world.table, world.sim, {
      count: 1,
      firstExpiry: expiresAt,
      spreadMs: 0,
      seed: options.seed,
    });
    if (!grant) throw new Error("no grant seeded");
    world.lateness.set(scheduleName(grant.id, expiresAt), 59_000);
    await world.scheduleWakeUps([grant]);
    world.sim.clearCalls();
    world.startTriggers();
    progress("lone grant: waiting for its wake-up (fires 59 s late, a second before expiry)");
    await waitForEnd(world.sim, world.store, [grant], { stallMs: 180_000, label: "lone grant" });
    const figures = await expiryFigures(world.sim, world.store, [grant]);
    await world.service.stop();
    const wake = world.firings.find((firing) => firing.kind === "wake-up");
    const driver = world.service.records.find(
      (record) => record.fn === "revoker" && ((record.result as EngineReport | undefined)?.driven ?? 0) > 0,
    );
    return {
      accessLagS: figures.accessLag.max,
      recordLagS: figures.recordLag.max,
      wakeLateS: wake ? (wake.firedAt - wake.dueAt) / 1000 : Number.NaN,
      drivenBy: driver ? kindOf(driver) : "nothing",
      coldStart: driver?.cold ?? false,
    };
  } finally {
    await world.stop();
    muted.restore();
  }
}
