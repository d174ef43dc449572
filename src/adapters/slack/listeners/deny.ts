import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { recordRefusal } from "../../../app/refusals.js";
import { GrantNotFound } from "../../../domain/errors.js";
import { normaliseGrantId } from "../../../domain/ids.js";
import { denyReasonModal } from "../views/modals.js";
import { buttonValue } from "./payload.js";
import { report } from "./report.js";
import { tellClicker } from "./tell.js";

/** Deny button: asks for a reason first; the decision (and its authorisation) happens on submit. */
export function denyListener(
  deps: AppDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, body, client, respond }) => {
    await ack();
    try {
      const value = buttonValue(body);
      const grantId = normaliseGrantId(value);
      if (!grantId) {
        const shown = value.slice(0, 40);
        await recordRefusal(deps, body.user.id, `no grant \`${shown}\``, undefined, { grantId: shown });
        throw new GrantNotFound(shown);
      }
      await client.views.open({ trigger_id: body.trigger_id, view: denyReasonModal(grantId) });
    } catch (error) {
      // From the Home tab there is no response_url: the tab is republished with the reason on top.
      await tellClicker(deps, body, respond, report(deps.log, "deny", error), "deny");
    }
  };
}
