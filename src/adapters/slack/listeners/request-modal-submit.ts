import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { requestAccess } from "../../../app/index.js";
import { recordRefusal } from "../../../app/refusals.js";
import { parseDuration } from "../../../domain/duration.js";
import { REQUEST_FIELDS } from "../action-ids.js";
import { requestModal, resultModal } from "../views/modals.js";
import { requestedReply } from "../views/replies.js";
import { reasonTooLong, requestContext, requestForm } from "./payload.js";
import { quietly, report } from "./report.js";

/** Request form: field errors inline at once; otherwise progress, then the outcome or the form with the problem. */
export function requestModalSubmitListener(
  deps: AppDeps,
): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  return async ({ ack, body, view, client }) => {
    const form = requestForm(view);
    const duration = form.duration ? parseDuration(form.duration) : undefined;
    const errors: Record<string, string> = {};
    if (duration && !duration.ok) errors[REQUEST_FIELDS.duration.block] = duration.error;
    const tooLong = reasonTooLong(form.reason);
    if (!form.reason) errors[REQUEST_FIELDS.reason.block] = "Say why you need the access.";
    else if (tooLong) errors[REQUEST_FIELDS.reason.block] = tooLong;
    if (Object.keys(errors).length > 0) {
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
    const durationSeconds = duration?.ok ? duration.seconds : undefined;
    const ask = {
      account: form.account,
      permissionSet: form.permissionSet,
      reason: form.reason,
      ...(durationSeconds ? { durationSeconds } : {}),
    };
    let next: ReturnType<typeof resultModal>;
    try {
      const grant = await requestAccess(deps, body.user.id, ask);
      next = resultModal("Request sent", requestedReply(grant, deps.clock.now()).text);
    } catch (error) {
      next = requestModal(ask, deps.config, requestContext(view), report(deps.log, "request form", error));
    }
    await quietly(deps.log, "request form", () => client.views.update({ view_id: view.id, view: next }));
  };
}
