import type { Middleware, SlackOptionsMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { offersFor } from "../../../domain/policy.js";
import { REQUEST_FIELDS } from "../action-ids.js";
import { accountOptions, matching, permissionSetOptions } from "../views/form-options.js";
import { requestContext } from "./payload.js";

/**
 * Typeahead for the request form's accounts and permission sets (past 100 of either): answered at once from the
 * config in memory and the requester the form's metadata names, with no lookup, on both runtimes within Slack's 3 s.
 * What it offers is a convenience; the submission is checked against the rules with fresh lookups.
 */
export function requestOptionsListener(
  deps: AppDeps,
): Middleware<SlackOptionsMiddlewareArgs<"block_suggestion">> {
  return async ({ ack, body }) => {
    const meta = body.view ? requestContext(body.view) : {};
    const requester = {
      slackId: body.user.id,
      email: meta.requester?.email ?? "",
      groups: meta.requester?.groups ?? [],
    };
    const offers = offersFor(deps.config, requester);
    const all =
      body.action_id === REQUEST_FIELDS.account.action
        ? accountOptions(offers, deps.config)
        : permissionSetOptions(offers);
    await ack({ options: matching(all, body.value) });
  };
}
