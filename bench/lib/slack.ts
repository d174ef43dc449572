import { App, HTTPReceiver } from "@slack/bolt";
import { slackLogger } from "../../src/adapters/slack/client.js";
import type { SignedRequest } from "../../src/sim/slack/requests.js";
import { signedSlashCommand, slashCommandFields } from "../../test/support/slack.js";

const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** Posts a signed request and returns the milliseconds until the whole answer was read; fails unless 200. */
export async function timedDelivery(url: string, request: SignedRequest): Promise<number> {
  const start = performance.now();
  const res = await fetch(url, { method: "POST", headers: request.headers, body: request.body });
  await res.arrayBuffer();
  const elapsed = performance.now() - start;
  if (res.status !== 200) throw new Error(`${url} answered HTTP ${res.status}`);
  return elapsed;
}

/** A `/aws-access` command from `userId`, signed with `secret`, answering to `responseUrl`. */
export function slashRequest(
  secret: string,
  userId: string,
  text: string,
  responseUrl: string,
): SignedRequest {
  return signedSlashCommand(secret, slashCommandFields({ user_id: userId, text, response_url: responseUrl }));
}

/** The reference point: Bolt's HTTPReceiver with the same secret and a command listener that only acks. */
export interface BareBolt {
  url: string;
  stop(): Promise<void>;
}

export async function startBareBolt(signingSecret: string, port = 0): Promise<BareBolt> {
  const logger = slackLogger(silent);
  const receiver = new HTTPReceiver({
    signingSecret,
    endpoints: ["/slack/events"],
    logger,
    processBeforeResponse: false,
    signatureVerification: true,
  });
  const app = new App({
    token: "xoxb-bare",
    receiver,
    logger,
    // Known bot ids: no auth.test call, as the real bot's result is cached after its first one.
    botId: "B0BARE",
    botUserId: "U0BARE",
  });
  app.command("/aws-access", async ({ ack }) => {
    await ack();
  });
  const server = await app.start(port);
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}/slack/events`,
    stop: async () => {
      await app.stop();
    },
  };
}

/** Resolves once `check` holds, polling every `everyMs` (in-memory checks only); false after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, everyMs = 2): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return check();
}
