import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { revokeGrant } from "../../../app/revoke.js";
import { revokedReply } from "../views/button-replies.js";
import { buttonValue } from "./payload.js";
import { report } from "./report.js";
import { fromHome, tellClicker } from "./tell.js";

/** Revoke on the approval message and the Home tab (Cancel request there too): authorised by the use case. */
export function revokeListener(
  deps: AppDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, body, respond }) => {
    await ack();
    let text: string;
    try {
      const grant = await revokeGrant(deps, body.user.id, buttonValue(body));
      // The Home tab shows the outcome by itself once the change is published there.
      if (fromHome(body)) return;
      text = revokedReply(grant);
    } catch (error) {
      text = report(deps.log, "revoke", error);
    }
    await tellClicker(deps, body, respond, text, "revoke");
  };
}
