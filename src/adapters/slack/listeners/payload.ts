import type { BlockAction, ButtonAction, ViewOutput } from "@slack/bolt";
import { REQUEST_FIELDS } from "../action-ids.js";
import type { RequestModalContext } from "../views/modals.js";

/** The grant id a button carries; empty when the payload has none. */
export function buttonValue(body: BlockAction<ButtonAction>): string {
  const value: unknown = body.actions[0]?.value;
  return typeof value === "string" ? value : "";
}

/** A text input's value, or a select's chosen value, from a submitted view; anything not a string counts as empty. */
export function field(view: ViewOutput, ids: { block: string; action: string }): string {
  const state: unknown = record(record(view.state)?.values)?.[ids.block];
  const input = record(record(state)?.[ids.action]);
  const chosen = record(input?.selected_option)?.value;
  const value = typeof chosen === "string" ? chosen : input?.value;
  return typeof value === "string" ? value.trim() : "";
}

/** The values of a multi-select (or a single select) in a submitted view, in the order chosen. */
export function fieldValues(view: ViewOutput, ids: { block: string; action: string }): string[] {
  const state: unknown = record(record(view.state)?.values)?.[ids.block];
  const input = record(record(state)?.[ids.action]);
  const many = Array.isArray(input?.selected_options) ? input.selected_options : [input?.selected_option];
  return many.flatMap((option: unknown) => {
    const value = record(option)?.value;
    return typeof value === "string" && value.trim() !== "" ? [value.trim()] : [];
  });
}

/** What the request form says, as typed. */
export function requestForm(view: ViewOutput): {
  accounts: string[];
  permissionSets: string[];
  duration: string;
  start: string;
  reason: string;
} {
  return {
    accounts: fieldValues(view, REQUEST_FIELDS.account),
    permissionSets: fieldValues(view, REQUEST_FIELDS.permissionSet),
    duration: field(view, REQUEST_FIELDS.duration),
    start: field(view, REQUEST_FIELDS.start),
    reason: field(view, REQUEST_FIELDS.reason),
  };
}

/** The request modal's private_metadata; anything unreadable counts as empty. */
export function requestContext(view: Pick<ViewOutput, "private_metadata">): RequestModalContext {
  try {
    const meta = record(JSON.parse(view.private_metadata));
    const channel = meta?.channel;
    const requester = record(meta?.requester);
    const groups = Array.isArray(requester?.groups)
      ? requester.groups.filter((g: unknown): g is string => typeof g === "string")
      : [];
    return {
      ...(typeof channel === "string" ? { channel } : {}),
      ...(typeof requester?.email === "string" ? { requester: { email: requester.email, groups } } : {}),
    };
  } catch {
    return {};
  }
}

/** Every kind of request a person causes, as Bolt tells them apart. */
export type InteractionKind = "command" | "action" | "options" | "view" | "shortcut";

/** Who acted in a request from Slack, for which team, on what, and whether the listeners can read it. */
export interface Interaction {
  kind: InteractionKind;
  /** The payload's `type` (block_actions, view_submission, …); "slash_command" for a command. */
  type: string;
  /** The acting user's Slack id, when the payload has a well-formed one. */
  userId?: string;
  /**
   * The teams Slack names for the acting user: a command's `team_id` and `enterprise_id`; for everything else
   * `user.team_id` (the user's own team, or the organisation's id on Enterprise Grid), never the top-level `team`,
   * which names the installation, not the person.
   */
  teams: string[];
  /** The slash command, action_id or callback_id. */
  target?: string;
  /** Why the listeners cannot read this payload, if they cannot. */
  problem?: string;
}

const USER_ID = /^[UW][A-Z0-9]{2,31}$/;

/** Reads a request body the way Bolt routes it; undefined for what no person caused (Events API). */
export function readInteraction(body: unknown): Interaction | undefined {
  const b = record(body);
  if (!b || b.event !== undefined) return undefined;
  if (b.command !== undefined) return readCommand(b);
  const type = typeof b.type === "string" ? b.type : "";
  const user = record(b.user);
  const base = {
    type,
    teams: ids(user?.team_id),
    ...(userId(user?.id) ? { userId: String(user?.id) } : {}),
  };
  const problems: string[] = userId(user?.id) ? [] : ["no user id"];
  if (b.name !== undefined || type === "block_suggestion") {
    return shaped({ ...base, kind: "options", ...target(b.action_id) }, problems);
  }
  if (b.actions !== undefined || type === "dialog_submission") {
    const action = Array.isArray(b.actions) ? record(b.actions[0]) : undefined;
    if (!action) problems.push("no action");
    if (action?.value !== undefined && typeof action.value !== "string")
      problems.push("a value that is not text");
    if (typeof b.trigger_id !== "string") problems.push("no trigger_id");
    return shaped({ ...base, kind: "action", ...target(action?.action_id) }, problems);
  }
  if (type === "shortcut" || type === "message_action") {
    return shaped({ ...base, kind: "shortcut", ...target(b.callback_id) }, problems);
  }
  if (type === "view_submission" || type === "view_closed") {
    const view = record(b.view);
    if (typeof view?.id !== "string") problems.push("no view id");
    if (typeof view?.private_metadata !== "string") problems.push("no private_metadata");
    if (!record(record(view?.state)?.values)) problems.push("no state values");
    return shaped({ ...base, kind: "view", ...target(view?.callback_id) }, problems);
  }
  return undefined;
}

function readCommand(b: Record<string, unknown>): Interaction {
  const problems: string[] = [];
  if (!userId(b.user_id)) problems.push("no user id");
  for (const key of ["text", "channel_id", "trigger_id"]) {
    if (typeof b[key] !== "string") problems.push(`${key} is not text`);
  }
  return shaped(
    {
      kind: "command",
      type: "slash_command",
      teams: [...ids(b.team_id), ...ids(b.enterprise_id)],
      ...(userId(b.user_id) ? { userId: String(b.user_id) } : {}),
      ...target(b.command),
    },
    problems,
  );
}

function shaped(interaction: Interaction, problems: string[]): Interaction {
  if (interaction.target === undefined) problems.push("no command, action_id or callback_id");
  return problems.length > 0 ? { ...interaction, problem: problems.join(", ") } : interaction;
}

function target(value: unknown): { target?: string } {
  return typeof value === "string" ? { target: value } : {};
}

function ids(value: unknown): string[] {
  return typeof value === "string" && value !== "" ? [value] : [];
}

function userId(value: unknown): boolean {
  return typeof value === "string" && USER_ID.test(value);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
