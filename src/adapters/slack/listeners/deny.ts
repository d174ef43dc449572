import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { denyReasonModal } from "../views/modals.js";
import { buttonValue } from "./payload.js";
import { quietly, report } from "./report.js";

/** Deny button: asks for a reason first; the decision (and its authorisation) happens on submit. */
export function denyListener(
  deps: AppDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, body, client, respond }) => {
    await ack();
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: denyReasonModal(buttonValue(body)) });
    } catch (error) {
      const text = report(deps.log, "deny", error);
      await quietly(deps.log, "deny", () =>
        respond({ response_type: "ephemeral", replace_original: false, text }),
      );
    }
  };
}
