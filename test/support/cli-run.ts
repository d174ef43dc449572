import { type ChildProcess, spawn } from "node:child_process";
import { waitFor } from "./e2e.js";

/** What a CLI run printed and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run cli -- <args>` as a child process (through tsx, without npm's own output) with exactly `env`. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/entrypoints/cli.ts", ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Lines of a stream that are not JSON log lines. */
export function plainLines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("{"));
}

/** The environment a CLI child needs to reach DynamoDB Local and nothing else. */
export function localAwsEnv(dynamoEndpoint: string, table: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    GRANTS_TABLE: table,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
  };
}

/** Where a child's bot finds its config, the Identity Center simulator and the fake Slack. */
export interface LocalBotParts {
  configPath: string;
  icEndpoint: string;
  slackApiUrl: string;
  signingSecret: string;
  botToken: string;
  /** The HTTP port of `serve`. */
  port?: number;
}

/** The environment of a `serve` or CLI child on DynamoDB Local, the simulator and the fake Slack. */
export function localBotEnv(dynamoEndpoint: string, table: string, parts: LocalBotParts): NodeJS.ProcessEnv {
  return {
    ...localAwsEnv(dynamoEndpoint, table),
    ACCESS_CONFIG: parts.configPath,
    AWS_ENDPOINT_URL_SSO_ADMIN: parts.icEndpoint,
    AWS_ENDPOINT_URL_IDENTITYSTORE: parts.icEndpoint,
    SLACK_SIGNING_SECRET: parts.signingSecret,
    SLACK_BOT_TOKEN: parts.botToken,
    SLACK_API_URL: parts.slackApiUrl,
    ...(parts.port === undefined ? {} : { PORT: String(parts.port) }),
  };
}

/** Starts `serve` in a child process with exactly `env` and resolves once it answers /healthz on `port`. */
export async function serveChild(
  env: NodeJS.ProcessEnv,
  port: number,
  onSpawn: (child: ChildProcess) => void,
) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/entrypoints/cli.ts", "serve"], {
    env,
    stdio: "ignore",
  });
  onSpawn(child);
  await waitFor(
    "the server to listen",
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
      } catch {
        return false;
      }
    },
    30_000,
  );
  return child;
}
