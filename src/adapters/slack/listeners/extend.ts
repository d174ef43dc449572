import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { extendGrant } from "../../../app/extend.js";
import { recordRefusal } from "../../../app/refusals.js";
import { RequestRefused } from "../../../domain/errors.js";
import { readExtendValue } from "../button-values.js";
import { extendedReply } from "../views/button-replies.js";
import { buttonValue } from "./payload.js";
import { report } from "./report.js";
import { fromHome, tellClicker } from "./tell.js";

/** Extend in the expiry reminder and on the Home tab: extends now, or asks the rule's approvers. */
export function extendListener(
  deps: AppDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, body, respond }) => {
    const asked = readExtendValue(buttonValue(body));
    await ack();
    let text: string;
    try {
      if (!asked) {
        await recordRefusal(deps, body.user.id, "extend refused: the button named no grant and duration");
        throw new RequestRefused("That button names no grant and duration; nothing was changed.");
      }
      const grant = await extendGrant(deps, body.user.id, asked.grantId, asked.seconds);
      if (fromHome(body)) return;
      text = extendedReply(grant, deps.clock.now());
    } catch (error) {
      text = report(deps.log, "extend", error);
    }
    await tellClicker(deps, body, respond, text, "extend");
  };
}
