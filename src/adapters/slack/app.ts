import {
  App,
  type CustomRoute,
  HTTPModuleFunctions,
  HTTPReceiver,
  type ReceiverProcessEventErrorHandlerArgs,
  SocketModeReceiver,
} from "@slack/bolt";
import type { AppDeps } from "../../app/deps.js";
import type { Logger } from "../../app/ports.js";
import { slackClientOptions, slackLogger } from "./client.js";
import { register } from "./register.js";

/** Credentials and where to listen; everything else the app needs comes in `deps`. */
export interface SlackAppOptions {
  signingSecret: string;
  botToken: string;
  /** Socket Mode instead of HTTP when set. */
  appToken?: string;
  /** Slack Web API base URL, e.g. a local fake in tests and the sandbox. */
  slackApiUrl?: string;
  /** HTTP port (events and /healthz; only /healthz in Socket Mode); default 3000. */
  port?: number;
  /** Interface to listen on; all interfaces when absent. */
  host?: string;
  logger?: Logger;
}

/** The Bolt app and its lifecycle, for the serve command and tests. */
export interface SlackApp {
  app: App;
  /** Checks the token (auth.test), then listens; resolves to the HTTP port (useful with port 0). */
  start(): Promise<number>;
  stop(): Promise<void>;
}

/** The endpoint Slack posts slash commands and interactivity to. */
export const EVENTS_PATH = "/slack/events";
export const HEALTH_PATH = "/healthz";

const silent: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** The Bolt app with every listener registered; nothing listens or calls Slack until start(). */
export function buildSlackApp(options: SlackAppOptions, deps: AppDeps): SlackApp {
  const log = options.logger ?? silent;
  const logger = slackLogger(log);
  const port = options.port ?? 3000;
  const customRoutes: CustomRoute[] = [{ path: HEALTH_PATH, method: ["GET"], handler: health }];
  const receiver = options.appToken
    ? new SocketModeReceiver({
        appToken: options.appToken,
        logger,
        customRoutes,
        // apps.connections.open goes where the Web API does (SLACK_API_URL), with the same limits.
        installerOptions: { port, clientOptions: slackClientOptions(options.slackApiUrl, log) },
      })
    : new HTTPReceiver({
        signingSecret: options.signingSecret,
        endpoints: [EVENTS_PATH],
        customRoutes,
        logger,
        processBeforeResponse: false,
        signatureVerification: true,
        processEventErrorHandler: unreadableIsBadRequest,
      });
  const app = new App({
    token: options.botToken,
    receiver,
    logger,
    clientOptions: slackClientOptions(options.slackApiUrl, log),
    deferInitialization: true,
  });
  app.error(async (error) => {
    log.error("slack: listener failed", { error: `${error.name}: ${error.message}` });
  });
  register(app, deps);
  return {
    app,
    async start() {
      await app.init();
      let listening = port;
      if (options.appToken) {
        await app.start();
      } else {
        const server = await app.start(options.host ? { port, host: options.host } : port);
        const address = server.address();
        if (typeof address === "object" && address) listening = address.port;
      }
      log.info("slack: listening", { mode: options.appToken ? "socket" : "http", port: listening });
      return listening;
    },
    async stop() {
      await app.stop();
    },
  };
}

/**
 * Bolt fails this way only before any listener ran: on a signed body it cannot read (no user, actions that are not
 * a list, …). That is the sender's fault, so 400, not Bolt's default 500; a failed authorization stays 401.
 */
async function unreadableIsBadRequest(args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> {
  const { error, logger, response } = args;
  if (response.headersSent || ("code" in error && error.code === "slack_bolt_authorization_error")) {
    return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
  }
  logger.warn(`unreadable request answered 400: ${error.name}: ${error.message}`);
  response.writeHead(400);
  response.end();
  return true;
}

function health(
  _req: unknown,
  res: { writeHead(status: number, headers: Record<string, string>): unknown; end(body: string): unknown },
): void {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("ok");
}
