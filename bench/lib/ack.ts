import { PEOPLE } from "../../test/support/app-harness.js";
import type { ServedBot } from "./served.js";
import { slashRequest, timedDelivery, until } from "./slack.js";

/** What the bot does with the command after acking; the bare app only acks. */
export const REQUEST_TEXT = "prod ReadOnly 1h bench";
export const LIST_TEXT = "list";

export interface AckSamples {
  /** Acks of the bot, by command, and of the bare app for the same text. */
  bot: { request: number[]; list: number[] };
  bare: { request: number[]; list: number[] };
  /** Send to the ephemeral reply arriving at the response_url: the work after the ack, for context. */
  reply: { request: number[]; list: number[] };
  /** Commands whose reply never came within the wait. */
  missingReplies: number;
}

type Kind = "request" | "list";

/** Bot and bare app in turn, order flipped each round to share noise; acks meet an idle bot (replies awaited). */
export async function measureAcks(
  stack: ServedBot,
  bareUrl: string,
  options: { warmup: number; rounds: number; replyTimeoutMs?: number },
): Promise<AckSamples> {
  const samples: AckSamples = {
    bot: { request: [], list: [] },
    bare: { request: [], list: [] },
    reply: { request: [], list: [] },
    missingReplies: 0,
  };
  const user = PEOPLE.dev.slackId;
  let seq = 0;
  const toBot = async (kind: Kind, keep: boolean) => {
    const id = `ack${++seq}`;
    const text = kind === "request" ? REQUEST_TEXT : LIST_TEXT;
    const request = slashRequest(stack.secret, user, text, stack.slack.responseUrl(id));
    const start = performance.now();
    const ack = await timedDelivery(stack.url, request);
    const replied = await until(
      () => stack.slack.responsesTo(id).length > 0,
      options.replyTimeoutMs ?? 5_000,
    );
    const reply = performance.now() - start;
    if (!keep) return;
    samples.bot[kind].push(ack);
    if (replied) samples.reply[kind].push(reply);
    else samples.missingReplies++;
  };
  const toBare = async (kind: Kind, keep: boolean) => {
    const text = kind === "request" ? REQUEST_TEXT : LIST_TEXT;
    const request = slashRequest(stack.secret, user, text, stack.slack.responseUrl(`bare${++seq}`));
    const ack = await timedDelivery(bareUrl, request);
    if (keep) samples.bare[kind].push(ack);
  };
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    const keep = round >= options.warmup;
    for (const kind of ["request", "list"] as const) {
      if (round % 2 === 0) {
        await toBot(kind, keep);
        await toBare(kind, keep);
      } else {
        await toBare(kind, keep);
        await toBot(kind, keep);
      }
    }
  }
  return samples;
}
