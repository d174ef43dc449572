import { Cleanup } from "./cleanup.js";
import { type ExpiryFigures, expiryFigures } from "./expiry-figures.js";
import { dueUsers, QUOTAS, seedDueGrants, waitForEnd } from "./expiry-world.js";
import { startServedBot } from "./served.js";
import { progress } from "./stats.js";
import { slackUsers, worldSeed } from "./world.js";

export interface ServerRun {
  figures: ExpiryFigures;
  /** The serve process's log lines by message, and its error lines. */
  logged: string;
  /** Slack Web API calls the fake answered during the run. */
  slackCalls: number;
}

/**
 * The real `serve` process (tsx, as `npm start` runs it) against the simulator at Identity Center's quotas, with
 * `count` active grants expiring within one minute from about 30 s after seeding; Slack healthy or hanging.
 */
export async function serverExpiryRun(
  dynamoEndpoint: string,
  options: { label: string; count: number; slackLatencyMs: number; seed: number },
): Promise<ServerRun> {
  const cleanup = new Cleanup();
  try {
    const users = dueUsers(options.count);
    const bot = await startServedBot(dynamoEndpoint, cleanup, options.label, {
      seed: worldSeed(users),
      slackUsers: slackUsers(users),
    });
    bot.sim.setFaults(QUOTAS);
    // The bot asked auth.test at start; from now on every Slack call hangs this long.
    if (options.slackLatencyMs > 0) bot.slack.latency(options.slackLatencyMs);
    bot.sim.clearCalls();
    const firstExpiry = Date.now() + 30_000;
    progress(`${options.label}: seeding ${options.count} active grants expiring within one minute`);
    const grants = await seedDueGrants(bot.dynamo, bot.table, bot.sim, {
      count: options.count,
      firstExpiry,
      spreadMs: 60_000,
      seed: options.seed,
    });
    if (Date.now() > firstExpiry - 5_000) progress(`${options.label}: seeding ran close to the first expiry`);
    const slackBefore = bot.slack.calls.length;
    await waitForEnd(bot.sim, bot.store, grants, { stallMs: 180_000, label: options.label });
    const figures = await expiryFigures(bot.sim, bot.store, grants);
    const counts = (map: Map<string, number>) => [...map].map(([msg, n]) => `${msg} x${n}`).join("; ");
    const errors = bot.child.errors.size > 0 ? ` | errors: ${counts(bot.child.errors)}` : "";
    return {
      figures,
      logged: `${counts(bot.child.logged)}${errors}`,
      slackCalls: bot.slack.calls.length - slackBefore,
    };
  } finally {
    await cleanup.run();
  }
}
