import { describe, it } from "vitest";
import { plainLines, runCli } from "../support/cli-run.js";

/** Only what a child needs to start; no SLACK_ variable from the machine running the tests. */
const BASE = { PATH: process.env.PATH, HOME: process.env.HOME, ACCESS_CONFIG: "no-such-access.yml" };

describe("serve with some but not all Slack credentials", () => {
  it.concurrent.for([
    {
      name: "a misspelt signing secret",
      env: { SLACK_BOT_TOKEN: "xoxb-start", SLACK_SIGNIN_SECRET: "s3cr3t" },
      says: [
        "SLACK_SIGNING_SECRET is not set (or SLACK_APP_TOKEN, for Socket Mode)",
        "SLACK_SIGNIN_SECRET is not a variable the bot reads (did you mean SLACK_SIGNING_SECRET?)",
      ],
    },
    {
      name: "an empty signing secret",
      env: { SLACK_BOT_TOKEN: "xoxb-start", SLACK_SIGNING_SECRET: "" },
      says: ["SLACK_SIGNING_SECRET is empty"],
    },
  ])("stops with $name, naming it on stderr, and starts no sandbox", async ({ env, says }, { expect }) => {
    const run = await runCli(["serve"], { ...BASE, ...env });
    expect(run.code).toBe(1);
    const [line, ...rest] = plainLines(run.stderr);
    expect(rest).toEqual([]);
    expect(line).toMatch(/^Slack credentials are incomplete: /);
    for (const problem of says) expect(line).toContain(problem);
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toContain("s3cr3t");
  });
});
