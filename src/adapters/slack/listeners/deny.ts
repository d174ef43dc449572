import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { recordRefusal } from "../../../app/refusals.js";
import { GrantNotFound } from "../../../domain/errors.js";
import { normaliseGrantId } from "../../../domain/ids.js";
import { denyReasonModal } from "../views/modals.js";
import { buttonValue } from "./payload.js";
import { report } from "./report.js";
import { tellClicker } from "./tell.js";

/**
 * Deny button: asks for a reason first; the decision (and its authorisation) happens on submit. The form opens
 * before the ack, while the trigger is fresh (on Lambda the ack hands the rest to the worker).
 */
export function denyListener(
  deps: AppDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, body, client, respond }) => {
    const value = buttonValue(body);
    const grantId = normaliseGrantId(value);
    let notOpened: unknown;
    if (grantId) {
      await client.views
        .open({ trigger_id: body.trigger_id, view: denyReasonModal(grantId) })
        .catch((error: unknown) => {
          notOpened = error ?? new Error("views.open failed");
        });
    }
    await ack();
    try {
      if (!grantId) {
        const shown = value.slice(0, 40);
        await recordRefusal(deps, body.user.id, `no grant \`${shown}\``, undefined, { grantId: shown });
        throw new GrantNotFound(shown);
      }
      if (notOpened !== undefined) throw notOpened;
    } catch (error) {
      // From the Home tab there is no response_url: the tab is republished with the reason on top.
      await tellClicker(deps, body, respond, report(deps.log, "deny", error), "deny");
    }
  };
}
