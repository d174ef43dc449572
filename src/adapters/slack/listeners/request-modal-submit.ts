import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { submitRequest } from "../../../app/index.js";
import { recordRefusal } from "../../../app/refusals.js";
import { checkRequestForm, type FormField, offersFor } from "../../../domain/policy.js";
import { REQUEST_FIELDS } from "../action-ids.js";
import { requestModal, resultModal } from "../views/modals.js";
import { requestedReply } from "../views/replies.js";
import { requestContext, requestForm } from "./payload.js";
import { quietly, report } from "./report.js";

const BLOCKS: Record<FormField, string> = {
  accounts: REQUEST_FIELDS.account.block,
  permissionSets: REQUEST_FIELDS.permissionSet.block,
  duration: REQUEST_FIELDS.duration.block,
  start: REQUEST_FIELDS.start.block,
  reason: REQUEST_FIELDS.reason.block,
};

/**
 * Request form: checked without lookups and answered with field errors at once; otherwise acknowledged with a
 * progress view, then the request is made and the view updated to its outcome (or the form with the problem).
 */
export function requestModalSubmitListener(
  deps: AppDeps,
): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  return async ({ ack, body, view, client }) => {
    const meta = requestContext(view);
    const requester = meta.requester && { slackId: body.user.id, ...meta.requester };
    const checked = checkRequestForm(deps.config, requester, requestForm(view));
    if (!checked.ok) {
      const errors = Object.fromEntries(
        Object.entries(checked.errors).map(([field, error]) => [BLOCKS[field as FormField], error]),
      );
      await ack({ response_action: "errors", errors });
      await recordRefusal(deps, body.user.id, Object.values(errors).join(" "), undefined, {
        form: "request",
      });
      return;
    }
    await ack({
      response_action: "update",
      view: resultModal("Request AWS access", "Sending your request…"),
    });
    let next: ReturnType<typeof resultModal>;
    try {
      const requested = await submitRequest(deps, body.user.id, checked.ask);
      next = resultModal("Request sent", requestedReply(requested.grants, deps.clock.now()).text);
    } catch (error) {
      const problem = report(deps.log, "request form", error);
      const offers = offersFor(deps.config, requester ?? { slackId: body.user.id, email: "", groups: [] });
      const { account, permissionSet, ...rest } = checked.ask;
      const prefill = { ...rest, accounts: account, permissionSets: permissionSet };
      next = requestModal(prefill, deps.config, offers, meta, problem);
    }
    await quietly(deps.log, "request form", () => client.views.update({ view_id: view.id, view: next }));
  };
}
