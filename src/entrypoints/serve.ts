import { createGrantsTable } from "../adapters/dynamodb/table.js";
import type { Logger } from "../app/ports.js";
import { startBot } from "./bot.js";
import { awsParts, type Env, systemClock } from "./runtime.js";
import { incompleteSlackMessage, type SlackSetup } from "./slack-credentials.js";

/** `serve`: the bot against real Slack and AWS; the sandbox when no Slack variable is set; an error in between. */
export async function serve(
  env: Env,
  log: Logger,
  options: { createTable: boolean; slack: SlackSetup },
): Promise<number> {
  if (options.slack.kind === "incomplete") {
    console.error(incompleteSlackMessage(options.slack.problems));
    return 1;
  }
  if (options.slack.kind === "none" || !env.botToken) {
    console.log("No Slack credentials: no SLACK_ variable is set, so the local sandbox starts instead.");
    const { sandbox } = await import("./sandbox.js");
    return sandbox(env);
  }
  const aws = await awsParts(env, log);
  if (options.createTable) {
    const outcome = await createGrantsTable(aws.dynamo, env.grantsTable);
    log.info(outcome === "created" ? "grants table created" : "grants table exists", {
      table: env.grantsTable,
    });
  }
  const bot = await startBot({
    config: aws.config,
    store: aws.store,
    identity: aws.identity,
    log,
    clock: systemClock,
    slack: {
      signingSecret: env.signingSecret ?? "",
      botToken: env.botToken,
      port: env.port,
      ...(env.appToken ? { appToken: env.appToken } : {}),
      ...(env.slackApiUrl ? { slackApiUrl: env.slackApiUrl } : {}),
    },
  });
  const shutdown = async (signal: string) => {
    log.info("stopping", { signal });
    await bot.stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  return 0;
}
