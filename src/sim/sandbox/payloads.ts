import { DENY_FIELDS, VIEWS } from "../../adapters/slack/action-ids.js";
import { SLASH_COMMAND } from "../../adapters/slack/register.js";
import { interactionBody, slashCommandBody } from "../slack/requests.js";

/** The Slack workspace the sandbox pretends to be. */
const TEAM = { id: "T0SANDBOX", domain: "sandbox" };
const APP_ID = "A0ACCESS";
/** The channel slash commands are typed in. */
export const COMMAND_CHANNEL = "C0GENERAL";

/** Who is acting, as Slack names them in payloads. */
export interface Actor {
  slackId: string;
  name: string;
}

function userOf(actor: Actor) {
  return { id: actor.slackId, username: actor.name, name: actor.name, team_id: TEAM.id };
}

/** A `/aws-access <text>` slash command body, as Slack form-encodes it. */
export function slashCommand(actor: Actor, text: string, responseUrl: string, triggerId: string): string {
  return slashCommandBody({
    token: "sandbox-verification-token",
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: COMMAND_CHANNEL,
    channel_name: "general",
    user_id: actor.slackId,
    user_name: actor.name,
    command: SLASH_COMMAND,
    text,
    api_app_id: APP_ID,
    response_url: responseUrl,
    trigger_id: triggerId,
  });
}

/** A button click (block_actions) on a message in `channel`. */
export function buttonClick(
  actor: Actor,
  click: { actionId: string; value: string; label: string; channel: string; ts?: string },
  responseUrl: string,
  triggerId: string,
): string {
  const ts = click.ts ?? "1700000000.000100";
  return interactionBody({
    type: "block_actions",
    team: TEAM,
    user: userOf(actor),
    api_app_id: APP_ID,
    token: "sandbox-verification-token",
    container: { type: "message", message_ts: ts, channel_id: click.channel, is_ephemeral: false },
    trigger_id: triggerId,
    channel: { id: click.channel, name: click.channel.toLowerCase() },
    message: { type: "message", ts, text: "" },
    response_url: responseUrl,
    actions: [
      {
        type: "button",
        action_id: click.actionId,
        block_id: "actions",
        value: click.value,
        text: { type: "plain_text", text: click.label, emoji: true },
        action_ts: `${Math.floor(Date.now() / 1000)}.000200`,
      },
    ],
  });
}

/** The deny-reason modal submitted with `reason` (null when left empty, as Slack sends it). */
export function denySubmission(
  actor: Actor,
  view: { id: string; privateMetadata: string },
  reason: string | null,
  triggerId: string,
): string {
  return interactionBody({
    type: "view_submission",
    team: TEAM,
    user: userOf(actor),
    api_app_id: APP_ID,
    token: "sandbox-verification-token",
    trigger_id: triggerId,
    view: {
      id: view.id,
      team_id: TEAM.id,
      type: "modal",
      callback_id: VIEWS.denyReason,
      private_metadata: view.privateMetadata,
      state: {
        values: {
          [DENY_FIELDS.reason.block]: {
            [DENY_FIELDS.reason.action]: { type: "plain_text_input", value: reason },
          },
        },
      },
      hash: "1700000000.sandbox",
      title: { type: "plain_text", text: "Deny request" },
      blocks: [],
      app_id: APP_ID,
      bot_id: "B0BOT",
    },
    response_urls: [],
  });
}
