import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";

/** A link button still sends an action; acknowledging it keeps Slack from showing a warning. */
export function portalLinkListener(): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack }) => {
    await ack();
  };
}
