import { resolve } from "node:path";
import { App } from "aws-cdk-lib";
import { readDeployConfig, resolveConfigPath } from "./config.js";
import { addNagPacks } from "./nag.js";
import { AwsAccessStack } from "./stack.js";

const app = new App();
addNagPacks(app);
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === null || value === "" ? undefined : String(value);
};

const configPath = resolveConfigPath(context("configPath"), (message) => console.warn(`warning: ${message}`));
const reserved = context("reservedConcurrency");
const slackConcurrency = context("slackConcurrency");
const entryDir = context("entryDir");

new AwsAccessStack(app, context("stackName") ?? "AwsAccess", {
  description: "aws-access: just-in-time AWS access from Slack",
  configPath,
  slackSecretName: context("slackSecretName") ?? "aws-access/slack",
  alarmEmail: context("alarmEmail"),
  logLevel: context("logLevel"),
  ...(entryDir === undefined
    ? {}
    : {
        entries: {
          slack: resolve(entryDir, "slack.ts"),
          worker: resolve(entryDir, "worker.ts"),
          revoker: resolve(entryDir, "revoker.ts"),
        },
      }),
  ...(reserved === undefined ? {} : { reservedConcurrency: Number(reserved) }),
  ...(slackConcurrency === undefined ? {} : { slackConcurrency: Number(slackConcurrency) }),
  allowUncappedConcurrency: context("allowUncappedConcurrency") === "true",
  ...readDeployConfig(configPath),
});
