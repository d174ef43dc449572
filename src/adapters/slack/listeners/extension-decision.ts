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

type ButtonListener = Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>>;

/** Approve on an extension request (thread reply or Home tab); the use case authorises the clicker. */
export function extensionApproveListener(deps: AppDeps): ButtonListener {
  return extensionDecisionListener(deps, "approve");
}

/** Deny on an extension request (thread reply or Home tab); the use case authorises the clicker. */
export function extensionDenyListener(deps: AppDeps): ButtonListener {
  return extensionDecisionListener(deps, "deny");
}

function extensionDecisionListener(deps: AppDeps, kind: "approve" | "deny"): ButtonListener {
  const what = `${kind} extension`;
  return async ({ ack, body, respond }) => {
    const target = readExtensionValue(buttonValue(body));
    await ack();
    let text: string;
    try {
      if (!target) {
        await recordRefusal(deps, body.user.id, `${what} refused: the button named no extension`);
        throw new RequestRefused("That button names no extension; nothing was changed.");
      }
      const { grantId, extensionId } = target;
      const grant = await decideExtension(deps, body.user.id, grantId, extensionId, { kind });
      if (fromHome(body)) return;
      text = extensionDecidedReply(grant);
    } catch (error) {
      text = report(deps.log, what, error);
    }
    await tellClicker(deps, body, respond, text, what);
  };
}
