import { buildSlackApp, type SlackApp } from "../../src/adapters/slack/app.js";
import type { AppDeps } from "../../src/app/deps.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import type { Harness } from "./app-harness.js";
import { SIGNING_SECRET } from "./slack.js";

/** The real Bolt app over its HTTP receiver, wired to a harness's use cases and a fake Slack Web API. */
export interface RunningSlackApp {
  slack: FakeSlack;
  bot: SlackApp;
  /** Where Slack posts commands and interactivity. */
  events: string;
  stop(): Promise<void>;
}

/** Starts the app on a free loopback port; `deps` defaults to the harness's (installed in the fake's team). */
export async function startSlackApp(h: Harness, deps: AppDeps = h.deps): Promise<RunningSlackApp> {
  const slack = new FakeSlack({ token: "xoxb-test" });
  const started = await slack.start();
  const bot = buildSlackApp(
    {
      signingSecret: SIGNING_SECRET,
      botToken: "xoxb-test",
      slackApiUrl: started.apiUrl,
      port: 0,
      host: "127.0.0.1",
      logger: h.log,
    },
    deps,
  );
  const port = await bot.start();
  return {
    slack,
    bot,
    events: `http://127.0.0.1:${port}/slack/events`,
    stop: async () => {
      await bot.stop();
      await started.close();
    },
  };
}
