import { closest } from "../domain/suggest.js";

/** The Slack variables the server reads; the bot token with the signing secret (HTTP) or the app token (Socket Mode). */
export const SLACK_VARIABLES = [
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "SLACK_API_URL",
] as const;

const CREDENTIALS = ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"] as const;
const PREFIX = "SLACK_";

/** What `serve` runs: the bot when Slack's credentials are complete, the sandbox when no Slack variable is set. */
export type SlackSetup = { kind: "none" } | { kind: "complete" } | { kind: "incomplete"; problems: string[] };

/**
 * Reads which Slack variables are set, so that a typo in a name or an empty secret is an error naming it,
 * never a silent fall-back to the sandbox: any `SLACK_*` variable, even empty, means Slack was meant.
 */
export function slackSetup(env: NodeJS.ProcessEnv): SlackSetup {
  const named = Object.keys(env)
    .filter((name) => name.startsWith(PREFIX))
    .sort();
  if (named.length === 0) return { kind: "none" };
  const filled = (name: string) => (env[name] ?? "").trim() !== "";
  const problems: string[] = [];
  for (const name of CREDENTIALS) {
    if (name in env && !filled(name)) problems.push(`${name} is empty`);
  }
  if (!("SLACK_BOT_TOKEN" in env)) problems.push("SLACK_BOT_TOKEN is not set");
  if (!filled("SLACK_SIGNING_SECRET") && !filled("SLACK_APP_TOKEN") && !("SLACK_SIGNING_SECRET" in env)) {
    problems.push("SLACK_SIGNING_SECRET is not set (or SLACK_APP_TOKEN, for Socket Mode)");
  }
  if (problems.length === 0) return { kind: "complete" };
  const known: readonly string[] = SLACK_VARIABLES;
  for (const name of named.filter((name) => !known.includes(name))) {
    const meant = closest(
      name.slice(PREFIX.length),
      SLACK_VARIABLES.map((variable) => variable.slice(PREFIX.length)),
    );
    problems.push(
      `${name} is not a variable the bot reads${meant === undefined ? "" : ` (did you mean ${PREFIX}${meant}?)`}`,
    );
  }
  return { kind: "incomplete", problems };
}

/** The one-line error `serve` stops with when Slack's credentials are incomplete. */
export function incompleteSlackMessage(problems: readonly string[]): string {
  return (
    `Slack credentials are incomplete: ${problems.join("; ")}. ` +
    "Set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode), " +
    "or unset every SLACK_ variable to start the local sandbox."
  );
}
