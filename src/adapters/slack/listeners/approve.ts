import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { decideGrant } from "../../../app/index.js";
import { buttonValue } from "./payload.js";
import { quietly, report } from "./report.js";

/** Approve button: the use case checks the clicker and updates the message; refusals go to the clicker alone. */
export function approveListener(
  deps: AppDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, body, respond }) => {
    await ack();
    try {
      await decideGrant(deps, body.user.id, buttonValue(body), { kind: "approve" });
    } catch (error) {
      const text = report(deps.log, "approve", error);
      await quietly(deps.log, "approve", () =>
        respond({ response_type: "ephemeral", replace_original: false, text }),
      );
    }
  };
}
