import {
  interactionBody,
  type SignedRequest,
  signBody,
  slashCommandBody,
} from "../../src/sim/slack/requests.js";

export type { SignedRequest } from "../../src/sim/slack/requests.js";

/** The signing secret every Slack test shares. */
export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

const TEAM = { id: "T0SANDBOX", domain: "sandbox" };
const APP_ID = "A0ACCESS";

/** Seconds since the epoch, now or shifted: a stale request is one signed more than five minutes ago. */
export function slackTimestamp(shiftSeconds = 0): number {
  return Math.floor(Date.now() / 1000) + shiftSeconds;
}

interface SignOptions {
  timestamp?: number;
}

/** The form fields of a `/aws-access` slash command; override what the test is about. */
export function slashCommandFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    token: "legacy-verification-token",
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: "C0GENERAL",
    channel_name: "general",
    user_id: "U0DEV",
    user_name: "dev",
    command: "/aws-access",
    text: "help",
    api_app_id: APP_ID,
    response_url: "http://127.0.0.1:9/respond/none",
    trigger_id: "1337.42.abcdef",
    ...overrides,
  };
}

/** What every interaction payload says of where it comes from: its type, the team, the user and the app. */
function interactionFrom(type: string, userId: string, team: { id: string; domain: string } = TEAM) {
  return {
    type,
    team,
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: team.id },
    api_app_id: APP_ID,
    token: "legacy-verification-token",
  };
}

/** What a test may say of the modal an interaction comes from. */
interface ModalOverrides {
  viewId?: string;
  callbackId?: string;
  privateMetadata?: string;
  values?: FormValues;
}

/** The modal an interaction comes from, as Slack describes it: the request form unless told otherwise. */
function modalView(view: ModalOverrides, team: { id: string } = TEAM) {
  return {
    id: view.viewId ?? "V00000001",
    team_id: team.id,
    type: "modal",
    callback_id: view.callbackId ?? "request_modal",
    private_metadata: view.privateMetadata ?? "",
    state: { values: view.values ?? {} },
    hash: "1700000000.abcdef",
    blocks: [],
    app_id: APP_ID,
  };
}

/** A block_actions payload for one button click; override the action, the clicker or the response_url. */
export function blockActionPayload(
  overrides: {
    actionId?: string;
    value?: string;
    userId?: string;
    responseUrl?: string;
    channel?: string;
  } = {},
): Record<string, unknown> {
  const channel = overrides.channel ?? "C0PRODADMIN";
  const userId = overrides.userId ?? "U0ADMIN";
  return {
    ...interactionFrom("block_actions", userId),
    container: { type: "message", message_ts: "1700000000.000100", channel_id: channel, is_ephemeral: false },
    trigger_id: "1337.42.trigger",
    channel: { id: channel, name: "approvals" },
    message: { type: "message", ts: "1700000000.000100", text: "Access request" },
    response_url: overrides.responseUrl ?? "http://127.0.0.1:9/respond/none",
    actions: [
      {
        type: "button",
        action_id: overrides.actionId ?? "grant_approve",
        block_id: "actions",
        value: overrides.value ?? "tstaaaa2",
        text: { type: "plain_text", text: "Approve", emoji: true },
        action_ts: "1700000001.000200",
      },
    ],
  };
}

/** State values as Slack sends them: a select's chosen option or a text input's value per block. */
export type FormValues = Record<
  string,
  Record<
    string,
    {
      type: string;
      value?: string;
      selected_option?: { value: string; text: { type: "plain_text"; text: string } };
    }
  >
>;

/** A text input's state. */
export function textValue(value: string): { type: string; value: string } {
  return { type: "plain_text_input", value };
}

/** A static select's state. */
export function selected(value: string): {
  type: string;
  selected_option: { value: string; text: { type: "plain_text"; text: string } };
} {
  return { type: "static_select", selected_option: { value, text: { type: "plain_text", text: value } } };
}

/** A view_submission payload; override the callback id, values, metadata or submitter. */
export function viewSubmissionPayload(
  overrides: ModalOverrides & { userId?: string } = {},
): Record<string, unknown> {
  const userId = overrides.userId ?? "U0DEV";
  return {
    ...interactionFrom("view_submission", userId),
    trigger_id: "1337.42.view",
    view: {
      ...modalView(overrides),
      title: { type: "plain_text", text: "Request AWS access" },
      bot_id: "B0BOT",
    },
    response_urls: [],
  };
}

/** A slash command as Slack sends it, signed with `secret`. */
export function signedSlashCommand(
  secret: string,
  fields: Record<string, string>,
  options: SignOptions = {},
): SignedRequest {
  return signBody(secret, slashCommandBody(fields), options.timestamp);
}

/** An interaction payload as Slack sends it (a form-encoded `payload` field), signed with `secret`. */
function signedInteraction(secret: string, payload: object, options: SignOptions = {}): SignedRequest {
  return signBody(secret, interactionBody(payload), options.timestamp);
}

/** A button click as Slack sends it, signed with `secret`. */
export const signedBlockAction = signedInteraction;

/** A modal submission as Slack sends it, signed with `secret`. */
export const signedViewSubmission = signedInteraction;

/** Posts a request to the app and returns the status and body Slack would get. */
export async function deliver(
  url: string,
  request: SignedRequest,
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method: "POST", headers: request.headers, body: request.body });
  return { status: res.status, body: await res.text() };
}

/** A multi-select's state: the chosen values in order. */
export function multiSelected(...values: string[]): {
  type: string;
  selected_options: Array<{ value: string; text: { type: "plain_text"; text: string } }>;
} {
  return {
    type: "multi_static_select",
    selected_options: values.map((value) => ({ value, text: { type: "plain_text", text: value } })),
  };
}

/** A block_suggestion payload: someone typing `value` into an external select of a view with `privateMetadata`. */
export function blockSuggestionPayload(overrides: {
  actionId: string;
  value: string;
  blockId?: string;
  privateMetadata?: string;
  userId?: string;
  /** The Slack team it comes from; the sandbox's by default. */
  team?: { id: string; domain: string };
}): Record<string, unknown> {
  const userId = overrides.userId ?? "U0DEV";
  const team = overrides.team ?? TEAM;
  return {
    ...interactionFrom("block_suggestion", userId, team),
    container: { type: "view", view_id: "V00000001" },
    action_id: overrides.actionId,
    block_id: overrides.blockId ?? "request_account",
    value: overrides.value,
    view: modalView(overrides, team),
  };
}

/** Typing into an external select, as Slack sends it, signed with `secret`. */
export const signedBlockSuggestion = signedInteraction;
