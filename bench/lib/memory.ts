import { bundledEntry } from "./bundle.js";
import { type Child, type RssSample, RssSampler, type Stopped } from "./child.js";
import type { Cleanup } from "./cleanup.js";
import { probeRemindRate, SEED_USERS, seedGrants } from "./seed.js";
import { type ServedBot, startServedBot } from "./served.js";
import { progress } from "./stats.js";
import { benchUser, slackUsers, worldSeed } from "./world.js";

export interface MemoryOptions {
  grants: number;
  /** How long to watch the bot with nothing due (several 5 s sweeps). */
  quietMs: number;
  /** How long to watch once every grant falls due (reminder time) within the next minute. */
  dueMs: number;
}

/** One serve process's life: RSS samples by phase, reminders sent while due, how it stopped. */
export interface ServeRun {
  samples: RssSample[];
  reminders: number;
  hwm: number;
  stopped: Stopped;
  child: Child;
}

export interface MemoryReport {
  /** `npm start` as is: tsx, default V8 heap sizing. */
  tsx: ServeRun;
  /** The same code bundled to JS, with the old generation capped, to show what the heap sizing costs. */
  capped: ServeRun & { flags: string };
  seedMs: number;
  /** DynamoDB Local's ceiling for a reminder's writes, per second, 8 at a time. */
  storeCeiling: number;
}

/** The heap cap of the comparison run. */
export const CAPPED_FLAGS = "--max-old-space-size=64";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Peak RSS of some phases of a run. */
export function peak(run: ServeRun, ...phases: string[]): number {
  return Math.max(0, ...run.samples.filter((s) => phases.includes(s.phase)).map((s) => s.rss));
}

/** Last RSS reading of a phase. */
export function last(run: ServeRun, phase: string): number {
  const samples = run.samples.filter((s) => s.phase === phase);
  return samples[samples.length - 1]?.rss ?? 0;
}

/** Writes every grant active and unreminded, expiring over the next 1 to 5 hours: nothing due for an hour. */
async function notDueForHours(
  bot: Pick<ServedBot, "dynamo" | "table">,
  grants: number,
  withTuples: boolean,
): Promise<void> {
  const now = Date.now();
  await seedGrants(bot.dynamo, bot.table, {
    count: grants,
    withTuples,
    timing: (n) => {
      const expiresAt = now + 3600_000 + Math.floor((n / grants) * 4 * 3600_000);
      return { expiresAt, dueAt: expiresAt - 600_000 };
    },
  });
}

/** Rewrites every grant so it falls due (reminder time) between 5 s and 55 s from now, unreminded. */
async function fallDueSoon(bot: Pick<ServedBot, "dynamo" | "table">, grants: number): Promise<void> {
  const firstDue = Date.now() + 5_000;
  await seedGrants(bot.dynamo, bot.table, {
    count: grants,
    withTuples: false,
    timing: (n) => {
      const dueAt = firstDue + Math.floor((n / grants) * 50_000);
      return { expiresAt: dueAt + 600_000, dueAt };
    },
  });
}

/** `serve` in a child: RSS idle, `grants` seeded and nothing due, all due within a minute; again bundled and capped. */
export async function measureMemory(
  dynamoEndpoint: string,
  cleanup: Cleanup,
  options: MemoryOptions,
): Promise<MemoryReport> {
  let reminders = 0;
  const requesters = Array.from({ length: SEED_USERS }, (_, n) => benchUser("M", n));
  const bot = await startServedBot(dynamoEndpoint, cleanup, "memory", {
    seed: worldSeed(),
    slackUsers: slackUsers(requesters),
    onSlackCall: (call) => {
      if (call.method === "chat.postMessage" && String(call.args.channel).startsWith("D0M")) reminders++;
    },
  });
  const watch = (child: Child) => {
    const sampler = new RssSampler(child.pid, () => reminders);
    cleanup.defer("RSS sampler", () => sampler.stop());
    sampler.phase = "idle";
    sampler.start();
    return sampler;
  };
  let sampler = watch(bot.child);
  await sleep(3_000);

  progress(`seeding ${options.grants} active grants (nothing due for hours) and their tuples`);
  sampler.phase = "seed";
  const started = Date.now();
  await notDueForHours(bot, options.grants, true);
  const seedMs = Date.now() - started;
  progress(`seeded in ${(seedMs / 1000).toFixed(1)} s; watching ${options.quietMs / 1000} s of sweeps`);
  sampler.phase = "quiet";
  await sleep(options.quietMs);

  const dueRun = async (child: Child): Promise<ServeRun> => {
    progress(`rewriting the ${options.grants} grants so every one falls due within the next minute`);
    reminders = 0;
    sampler.phase = "rewrite";
    await fallDueSoon(bot, options.grants);
    sampler.phase = "due";
    await sleep(options.dueMs);
    sampler.stop();
    const hwm = sampler.take()?.hwm ?? 0;
    const sent = reminders;
    const stopped = await child.stop(10_000);
    return { samples: sampler.samples, reminders: sent, hwm, stopped, child };
  };
  const tsx = await dueRun(bot.child);

  progress("probing DynamoDB Local's own rate for a reminder's writes");
  const storeCeiling = await probeRemindRate(bot.store, 400, 8);

  progress(`again: serve bundled to JS with ${CAPPED_FLAGS}, same table reset to nothing due`);
  await notDueForHours(bot, options.grants, false);
  const child = await bot.restart({ entry: await bundledEntry(), nodeOptions: CAPPED_FLAGS });
  sampler = watch(child);
  await sleep(3_000);
  const capped = await dueRun(child);
  return { tsx, capped: { ...capped, flags: CAPPED_FLAGS }, seedMs, storeCeiling };
}
