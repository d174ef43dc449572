import { JsonLogger } from "../adapters/log/json-logger.js";
import { DomainError } from "../domain/errors.js";
import { doctor, initTable, listOpenGrants, revokeAsOperator, sweepOnce } from "./operator.js";
import { readEnv } from "./runtime.js";

const HELP = `aws-access: just-in-time AWS access from Slack

Usage: npm run cli -- <command>

Commands:
  serve [--create-table]  run the bot (HTTP receiver on PORT, or Socket Mode when SLACK_APP_TOKEN is set);
                          with no Slack credentials, starts the local sandbox instead
  sandbox                 the whole bot on this machine with local stand-ins for Slack, Identity Center, DynamoDB
  init-table              create the DynamoDB table (GRANTS_TABLE) and its indexes; does nothing if it exists
  doctor                  check the config against Identity Center and Slack
  grants                  list open grants (pending, provisioning, active, revoking)
  revoke <grant-id>       end a grant now, as the operator
  sweep                   run one expiry pass and print what it did

Environment: ACCESS_CONFIG (default access.yml), GRANTS_TABLE, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN,
SLACK_APP_TOKEN, SLACK_API_URL, PORT (default 3000), AWS_REGION and the AWS SDK's own settings.`;

/** Runs one CLI command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const env = readEnv();
  const log = new JsonLogger();
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(HELP);
      return 0;
    case "serve": {
      const { serve } = await import("./serve.js");
      return serve(env, log, { createTable: args.includes("--create-table") });
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
      if (args.length !== 1 || !args[0]) {
        console.error("revoke needs exactly one grant id: npm run cli -- revoke k7m2x9qa");
        return 2;
      }
      return revokeAsOperator(env, log, args[0]);
    case "sweep":
      return sweepOnce(env, log);
    default:
      console.error(`unknown command '${command}'\n\n${HELP}`);
      return 2;
  }
}

/** Errors the operator can act on are printed as one message, never as a stack trace. */
function report(error: unknown): number {
  if (error instanceof DomainError) {
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
