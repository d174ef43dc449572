import type { BlockAction, ButtonAction, RespondFn } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { publishHome } from "../../../app/home.js";
import { quietly } from "./report.js";

/** Whether a click came from the app's Home tab, which has no response_url to answer through. */
export function fromHome(body: BlockAction<ButtonAction>): boolean {
  return body.view?.type === "home";
}

/**
 * Tells the clicker how their click went: ephemerally where they clicked, or on top of their Home tab (republished).
 * Never throws: the click's outcome is in the store and the audit trail whatever Slack does with the reply.
 */
export async function tellClicker(
  deps: AppDeps,
  body: BlockAction<ButtonAction>,
  respond: RespondFn | undefined,
  text: string,
  where: string,
): Promise<void> {
  if (fromHome(body)) {
    await quietly(deps.log, where, () => publishHome(deps, body.user.id, { notice: text }));
    return;
  }
  if (!respond) return;
  await quietly(deps.log, where, () =>
    respond({ response_type: "ephemeral", replace_original: false, text }),
  );
}
