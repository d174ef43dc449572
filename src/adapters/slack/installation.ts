import type { AppDeps } from "../../app/deps.js";
import { translate } from "./chat.js";
import type { WebClient } from "./client.js";
import { SlackUnavailable } from "./errors.js";

/** The Slack team, and Enterprise Grid organisation if any, the bot token belongs to. */
export type Installation = NonNullable<AppDeps["installation"]>;

/** Asks Slack (auth.test) which team and organisation the app is installed in; entry points call it once at start. */
export async function installationOf(client: WebClient): Promise<Installation> {
  let answer: Awaited<ReturnType<WebClient["auth"]["test"]>>;
  try {
    answer = await client.auth.test();
  } catch (error) {
    throw translate("auth.test", error);
  }
  const teamId = typeof answer.team_id === "string" ? answer.team_id : "";
  const enterpriseId = typeof answer.enterprise_id === "string" ? answer.enterprise_id : "";
  if (!teamId && !enterpriseId) throw new SlackUnavailable("auth.test", "answer without team_id");
  return { teamId: teamId || enterpriseId, ...(enterpriseId ? { enterpriseId } : {}) };
}
