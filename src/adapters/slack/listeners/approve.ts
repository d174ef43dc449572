import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { decideGrant } from "../../../app/index.js";
import { buttonValue } from "./payload.js";
import { report } from "./report.js";
import { tellClicker } from "./tell.js";

/** Approve button: the use case checks the clicker and updates the message; refusals go to the clicker alone. */
export function approveListener(
  deps: AppDeps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, body, respond }) => {
    await ack();
    try {
      await decideGrant(deps, body.user.id, buttonValue(body), { kind: "approve" });
    } catch (error) {
      // From the Home tab there is no response_url: the tab is republished with the reason on top.
      await tellClicker(deps, body, respond, report(deps.log, "approve", error), "approve");
    }
  };
}
