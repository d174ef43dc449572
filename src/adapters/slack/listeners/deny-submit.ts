import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { decideGrant } from "../../../app/index.js";
import { recordRefusal } from "../../../app/refusals.js";
import { reasonProblem } from "../../../domain/reason.js";
import { DENY_FIELDS } from "../action-ids.js";
import { code } from "../escape.js";
import { resultModal } from "../views/modals.js";
import { field } from "./payload.js";
import { quietly, report } from "./report.js";

/** Deny-reason form: a reason over the limit is pointed at in the form; else progress, then the outcome. */
export function denySubmitListener(deps: AppDeps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  return async ({ ack, body, view, client }) => {
    const grantId = view.private_metadata;
    const reason = field(view, DENY_FIELDS.reason);
    const tooLong = reasonProblem(reason, { required: false });
    if (tooLong) {
      await ack({ response_action: "errors", errors: { [DENY_FIELDS.reason.block]: tooLong } });
      await recordRefusal(deps, body.user.id, `deny refused: ${tooLong}`, undefined, {
        form: "deny",
        grantId: grantId.slice(0, 64),
      });
      return;
    }
    await ack({ response_action: "update", view: resultModal("Deny request", `Denying ${code(grantId)}…`) });
    let outcome: { title: string; text: string };
    try {
      await decideGrant(deps, body.user.id, grantId, reason ? { kind: "deny", reason } : { kind: "deny" });
      outcome = {
        title: "Request denied",
        text: `:no_entry: Denied ${code(grantId)}; the requester has been told.`,
      };
    } catch (error) {
      outcome = { title: "Not denied", text: report(deps.log, "deny", error) };
    }
    await quietly(deps.log, "deny", () =>
      client.views.update({ view_id: view.id, view: resultModal(outcome.title, outcome.text) }),
    );
  };
}
