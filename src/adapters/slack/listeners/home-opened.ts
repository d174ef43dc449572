import type { Middleware, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { publishHome } from "../../../app/home.js";
import { report } from "./report.js";

/** The Home tab opened: publishes it as the store has it now (the Messages tab needs nothing). */
export function homeOpenedListener(deps: AppDeps): Middleware<SlackEventMiddlewareArgs<"app_home_opened">> {
  return async ({ event, body }) => {
    if (event.tab !== "home") return;
    // Events come signed by Slack for the workspace that installed the app; anything else is dropped.
    const team = (body as { team_id?: unknown }).team_id;
    const home = [deps.installation?.teamId, deps.installation?.enterpriseId];
    if (typeof team !== "string" || !home.includes(team)) {
      deps.log.warn("slack: app_home_opened from another team dropped", { team: String(team).slice(0, 64) });
      return;
    }
    try {
      await publishHome(deps, event.user);
    } catch (error) {
      report(deps.log, "home", error);
    }
  };
}
