import { describe, expect, it } from "vitest";
import { incompleteSlackMessage, slackSetup } from "../../../src/entrypoints/slack-credentials.js";

describe("slackSetup", () => {
  it.each<[string, NodeJS.ProcessEnv]>([
    ["no variable at all", {}],
    ["only other variables", { PATH: "/usr/bin", SLACKWARE: "15" }],
  ])("starts the sandbox with %s", (_, env) => {
    expect(slackSetup(env)).toEqual({ kind: "none" });
  });

  it.each<[string, NodeJS.ProcessEnv]>([
    ["the HTTP receiver", { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" }],
    ["Socket Mode", { SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }],
    [
      "every variable and an unrelated one",
      {
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "s",
        SLACK_APP_TOKEN: "xapp-1",
        SLACK_API_URL: "http://127.0.0.1:4010/api/",
        SLACK_WEBHOOK: "w",
      },
    ],
  ])("runs the bot with the credentials of %s", (_, env) => {
    expect(slackSetup(env)).toEqual({ kind: "complete" });
  });

  it.each<[string, NodeJS.ProcessEnv, string[]]>([
    ["a missing signing secret", { SLACK_BOT_TOKEN: "xoxb-1" }, ["SLACK_SIGNING_SECRET is not set (or"]],
    [
      "an empty signing secret",
      { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "" },
      ["SLACK_SIGNING_SECRET is empty"],
    ],
    ["a blank bot token", { SLACK_BOT_TOKEN: "  ", SLACK_SIGNING_SECRET: "s" }, ["SLACK_BOT_TOKEN is empty"]],
    [
      "an empty app token beside complete HTTP credentials",
      { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", SLACK_APP_TOKEN: "" },
      ["SLACK_APP_TOKEN is empty"],
    ],
    [
      "a misspelt signing secret",
      { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNIN_SECRET: "s" },
      [
        "SLACK_SIGNING_SECRET is not set (or",
        "SLACK_SIGNIN_SECRET is not a variable the bot reads (did you mean SLACK_SIGNING_SECRET?)",
      ],
    ],
    ["a signing secret alone", { SLACK_SIGNING_SECRET: "s" }, ["SLACK_BOT_TOKEN is not set"]],
    [
      "only the Web API URL",
      { SLACK_API_URL: "http://127.0.0.1:4010/api/" },
      ["SLACK_BOT_TOKEN is not set", "SLACK_SIGNING_SECRET is not set (or"],
    ],
    [
      "only a misspelt bot token",
      { SLACK_BOT_TOKN: "xoxb-1" },
      [
        "SLACK_BOT_TOKEN is not set",
        "SLACK_SIGNING_SECRET is not set (or",
        "SLACK_BOT_TOKN is not a variable the bot reads (did you mean SLACK_BOT_TOKEN?)",
      ],
    ],
  ])("refuses %s, naming what is missing", (_, env, problems) => {
    const setup = slackSetup(env);
    expect(setup).toEqual({
      kind: "incomplete",
      problems: problems.map((problem) => expect.stringContaining(problem)),
    });
  });

  it("says how to fix incomplete credentials in one line", () => {
    const message = incompleteSlackMessage(["SLACK_SIGNING_SECRET is empty"]);
    expect(message).toBe(
      "Slack credentials are incomplete: SLACK_SIGNING_SECRET is empty. Set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode), or unset every SLACK_ variable to start the local sandbox.",
    );
  });
});
