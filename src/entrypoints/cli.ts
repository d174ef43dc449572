import { JsonLogger } from "../adapters/log/json-logger.js";
import { ServiceError } from "../app/errors.js";
import { DomainError } from "../domain/errors.js";
import { parseCommandLine, usageOf } from "./cli-args.js";
import { doctor, initTable, listOpenGrants, revokeAsOperator, sweepOnce } from "./operator.js";
import { readEnv } from "./runtime.js";
import { slackSetup } from "./slack-credentials.js";

const HELP = `aws-access: just-in-time AWS access from Slack

Usage: npm run cli -- <command> [options]

Commands:
  serve [--create-table]  run the bot (HTTP receiver on PORT, or Socket Mode when SLACK_APP_TOKEN is set);
                          with no SLACK_ variable set, starts the local sandbox instead; with some but
                          not all Slack credentials, stops naming what is missing
  sandbox                 the whole bot on this machine with local stand-ins for Slack, Identity Center, DynamoDB
  init-table              create the DynamoDB table (GRANTS_TABLE) and its indexes, or add the indexes it lacks
  doctor                  check the config against Identity Center and Slack
  grants                  list open grants (pending, provisioning, active, revoking)
  revoke <grant-id>       end a grant now, as the operator
  sweep                   run one expiry pass and print what it did
  audit [--since 7d] [--until T] [--user EMAIL] [--account ALIAS] [--grant ID] [--format table|csv|jsonl]
                          the audit trail in time order: --since/--until take a duration back from now (7d, 12h)
                          or an ISO date or time (UTC unless it says otherwise); --grant shows one grant's whole
                          trail; csv and jsonl stream to stdout, the event count goes to stderr
  help                    this text (also --help after any command)

Environment: ACCESS_CONFIG (default access.yml), GRANTS_TABLE, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN,
SLACK_APP_TOKEN, SLACK_API_URL, PORT (default 3000), AWS_REGION and the AWS SDK's own settings.`;

/** The server logs to stdout like any service; operator commands log to stderr so their output stays clean. */
function loggerFor(command: string): JsonLogger {
  if (command === "serve" || command === "sandbox") return new JsonLogger();
  return new JsonLogger({ sink: (line) => process.stderr.write(`${line}\n`) });
}

/** Runs one CLI command; returns the process exit code (2 for a command line it cannot read). */
export async function main(argv: string[]): Promise<number> {
  const line = parseCommandLine(argv);
  if (!line.ok) {
    const usage = line.showHelp ? `\n\n${HELP}` : `\nusage: ${usageOf(argv[0] ?? "help")}`;
    console.error(`${line.error}${usage}`);
    return 2;
  }
  const { command, values, positionals } = line;
  const env = readEnv();
  const log = loggerFor(command);
  switch (command) {
    case "serve": {
      const { serve } = await import("./serve.js");
      return serve(env, log, {
        createTable: values["create-table"] === true,
        slack: slackSetup(process.env),
      });
    }
    case "sandbox": {
      const { sandbox } = await import("./sandbox.js");
      return sandbox(env);
    }
    case "init-table":
      return initTable(env, log);
    case "doctor":
      return doctor(env, log);
    case "grants":
      return listOpenGrants(env, log);
    case "revoke":
      return revokeAsOperator(env, log, positionals[0] ?? "");
    case "sweep":
      return sweepOnce(env, log);
    case "audit": {
      const { auditCommand } = await import("./audit.js");
      return auditCommand(env, values);
    }
    default:
      console.log(HELP);
      return 0;
  }
}

/** Errors the operator can act on are printed as one message, never as a stack trace. */
function report(error: unknown): number {
  if (error instanceof DomainError || error instanceof ServiceError) {
    console.error(error.message);
    return 1;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`aws-access: ${message}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.exitCode = report(error);
  },
);
