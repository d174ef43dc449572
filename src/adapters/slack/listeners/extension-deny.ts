import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { decideExtension } from "../../../app/extend.js";
import { recordRefusal } from "../../../app/refusals.js";
import { RequestRefused } from "../../../domain/errors.js";
import { readExtensionValue } from "../button-values.js";
import { extensionDecidedReply } from "../views/button-replies.js";
import { buttonValue } from "./payload.js";
import { report } from "./report.js";
import { fromHome, tellClicker } from "./tell.js";

/** Deny on an extension request (thread reply or Home tab); the use case authorises the clicker. */
export function extensionDenyListener(
  deps: AppDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, body, respond }) => {
    const target = readExtensionValue(buttonValue(body));
    await ack();
    let text: string;
    try {
      if (!target) {
        await recordRefusal(deps, body.user.id, "deny extension refused: the button named no extension");
        throw new RequestRefused("That button names no extension; nothing was changed.");
      }
      const { grantId, extensionId } = target;
      const grant = await decideExtension(deps, body.user.id, grantId, extensionId, { kind: "deny" });
      if (fromHome(body)) return;
      text = extensionDecidedReply(grant);
    } catch (error) {
      text = report(deps.log, "deny extension", error);
    }
    await tellClicker(deps, body, respond, text, "deny extension");
  };
}
