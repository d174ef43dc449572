import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { revokeGrant } from "../../../app/index.js";
import type { SlackMessage } from "../views/blocks.js";
import { commandReply } from "../views/replies.js";
import { buttonValue } from "./payload.js";
import { quietly, report } from "./report.js";

/** "Revoke now" in the requester's DM: ends the grant early; the use case sends the final notice. */
export function revokeNowListener(
  deps: AppDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, body, respond }) => {
    await ack();
    let reply: SlackMessage | { text: string };
    try {
      const grant = await revokeGrant(deps, body.user.id, buttonValue(body));
      reply = commandReply({ kind: "revoked", grant }, deps.config, deps.clock.now());
    } catch (error) {
      reply = { text: report(deps.log, "revoke", error) };
    }
    await quietly(deps.log, "revoke", () =>
      respond({ response_type: "ephemeral", replace_original: false, ...reply }),
    );
  };
}
