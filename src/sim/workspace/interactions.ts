import { SLASH_COMMAND } from "../../adapters/slack/register.js";
import type { FakeSlack } from "../slack/fake-slack.js";
import { dmOf, FAKE_TEAM } from "../slack/records.js";
import { interactionBody, signBody, slashCommandBody } from "../slack/requests.js";
import { findElement } from "./blocks.js";
import { isRecord, type Json, list, str } from "./elements.js";
import { type PageValue, stateValues, suggestionOptions, valueState } from "./values.js";
import type { Workspace } from "./workspace.js";

const APP_ID = "A0ACCESS";
const VERIFICATION_TOKEN = "sandbox-verification-token";

/** Where a page event happened: on a message, in a modal, or on the Home tab. */
export type Source = { type: "message"; key: string } | { type: "view"; viewId: string } | { type: "home" };

/** The blocks an action happened in, and the fields of its payload that say where. */
type Surface = { blocks: unknown[]; context: Json };

/** A click or a choice on an element, as the page reports it. */
export interface PageAction {
  source: Source;
  blockId: string;
  actionId: string;
  type: string;
  value?: string | null;
  values?: string[];
  picked?: Array<{ value: string; label: string }>;
  /** The modal's current field values, sent along as Slack does. */
  state?: PageValue[];
}

/** Plays Slack's servers for the page: turns what people do into signed requests to the bot. */
export class Interactions {
  constructor(
    private readonly workspace: Workspace,
    private readonly fake: FakeSlack,
    private readonly bot: { eventsUrl: string; signingSecret: string },
  ) {}

  /** `/aws-access <text>` typed in a conversation. */
  async command(user: string, channel: string, text: string): Promise<void> {
    this.workspace.echoCommand(user, channel, `${SLASH_COMMAND} ${text}`.trim());
    const person = this.workspace.person(user);
    const body = slashCommandBody({
      token: VERIFICATION_TOKEN,
      team_id: FAKE_TEAM.id,
      team_domain: FAKE_TEAM.domain,
      channel_id: channel,
      channel_name: channel.startsWith("D")
        ? "directmessage"
        : (this.workspace.directory.channelName(channel) ?? channel),
      user_id: user,
      user_name: person?.name ?? user,
      command: SLASH_COMMAND,
      text,
      api_app_id: APP_ID,
      response_url: this.workspace.responseUrl({ user, channel }),
      trigger_id: this.workspace.trigger(user),
    });
    await this.deliver(body);
  }

  /** A button click or a select choice: a signed block_actions payload from its message, modal or Home tab. */
  async action(user: string, action: PageAction): Promise<void> {
    const where = this.surface(user, action.source, action.state ?? []);
    if (!where) return;
    const found = findElement(where.blocks, action.blockId, action.actionId);
    const element = found?.element ?? {};
    const reported =
      action.type === "button"
        ? {
            type: "button",
            text: element.text,
            value: action.value ?? str(element.value),
            ...(element.style ? { style: element.style } : {}),
          }
        : valueState(element, { ...action });
    const payload = {
      type: "block_actions",
      ...this.envelope(user),
      trigger_id: this.workspace.trigger(user),
      ...where.context,
      actions: [
        {
          ...reported,
          action_id: action.actionId,
          block_id: action.blockId,
          action_ts: `${(Date.now() / 1000).toFixed(6)}`,
        },
      ],
    };
    await this.deliver(interactionBody(payload));
  }

  /** Submits the top modal; the bot's answer (errors, update, push, clear, close) is applied to the stack. */
  async submit(user: string, viewId: string, values: PageValue[]): Promise<void> {
    const stored = this.fake.views.get(viewId);
    if (!stored) return;
    const updatesBefore = stored.updates;
    const payload = {
      type: "view_submission",
      ...this.envelope(user),
      trigger_id: this.workspace.trigger(user),
      view: this.viewPayload(user, viewId, values),
      response_urls: [],
    };
    const text = await this.deliver(interactionBody(payload));
    let answer: Json = {};
    try {
      const parsed: unknown = text.trim() ? JSON.parse(text) : {};
      if (isRecord(parsed)) answer = parsed;
    } catch {
      answer = {};
    }
    this.workspace.applySubmissionAnswer(user, viewId, answer, updatesBefore);
  }

  /** Closes the top view or all of them; the bot hears of it when the view asked (notify_on_close). */
  async close(user: string, viewId: string, how: "back" | "clear"): Promise<void> {
    const stored = this.fake.views.get(viewId);
    this.workspace.closeModal(user, how);
    if (stored?.view.notify_on_close !== true) return;
    const payload = {
      type: "view_closed",
      ...this.envelope(user),
      view: this.viewPayload(user, viewId, []),
      is_cleared: how === "clear",
    };
    await this.deliver(interactionBody(payload));
  }

  /** Options for an external select: a signed block_suggestion, answered by the bot's options handler. */
  async suggest(
    user: string,
    source: Source,
    ids: { blockId: string; actionId: string },
    query: string,
  ): Promise<Array<{ value: string; label: string }>> {
    const where = this.surface(user, source, []);
    if (!where) return [];
    const payload = {
      type: "block_suggestion",
      ...this.envelope(user),
      ...where.context,
      action_id: ids.actionId,
      block_id: ids.blockId,
      value: query,
    };
    const text = await this.deliver(interactionBody(payload));
    try {
      return suggestionOptions(text.trim() ? JSON.parse(text) : {});
    } catch {
      return [];
    }
  }

  /** The person opened the app's Home or Messages tab: Slack sends app_home_opened. */
  async homeOpened(user: string, tab: "home" | "messages"): Promise<void> {
    const home = this.fake.records.homes.get(user);
    const event = {
      type: "app_home_opened",
      user,
      channel: dmOf(user),
      tab,
      event_ts: `${(Date.now() / 1000).toFixed(6)}`,
      ...(home && tab === "home" ? { view: { id: home.id, hash: home.hash, ...home.view } } : {}),
    };
    const body = JSON.stringify({
      token: VERIFICATION_TOKEN,
      team_id: FAKE_TEAM.id,
      api_app_id: APP_ID,
      event,
      type: "event_callback",
      event_id: `Ev${Date.now()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: FAKE_TEAM.id, user_id: "U0BOT", is_bot: true }],
    });
    await this.deliver(body, "application/json");
  }

  private envelope(user: string) {
    const person = this.workspace.person(user);
    return {
      team: { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain },
      user: { id: user, username: person?.name ?? user, name: person?.name ?? user, team_id: FAKE_TEAM.id },
      api_app_id: APP_ID,
      token: VERIFICATION_TOKEN,
    };
  }

  /** The blocks an action happened in and what Slack says about where (container, message or view, response_url). */
  private surface(user: string, source: Source, state: PageValue[]): Surface | undefined {
    if (source.type === "message") return this.messageSurface(user, source.key);
    if (source.type === "home") return this.homeSurface(user);
    const stored = this.fake.views.get(source.viewId);
    if (!stored || !this.workspace.stack(user).includes(source.viewId)) return undefined;
    return {
      blocks: list(stored.view.blocks),
      context: {
        container: { type: "view", view_id: source.viewId },
        view: this.viewPayload(user, source.viewId, state),
      },
    };
  }

  private messageSurface(user: string, key: string): Surface | undefined {
    const item = this.workspace.item(key);
    if (!item || !this.workspace.visibleTo(item, user)) return undefined;
    const responseUrl = this.workspace.responseUrl({
      user,
      channel: item.conversation,
      sourceKey: item.key,
      ...(item.threadTs ? { threadTs: item.threadTs } : {}),
    });
    const ephemeral = item.visibleTo !== undefined;
    return {
      blocks: list(item.message.blocks),
      context: {
        container: {
          type: "message",
          message_ts: item.ts,
          channel_id: item.conversation,
          is_ephemeral: ephemeral,
        },
        channel: {
          id: item.conversation,
          name: this.workspace.directory.channelName(item.conversation) ?? item.conversation,
        },
        message: {
          type: "message",
          ts: item.ts,
          user: "U0BOT",
          bot_id: "B0BOT",
          ...item.message,
          ...(item.threadTs ? { thread_ts: item.threadTs } : {}),
        },
        response_url: responseUrl,
        state: { values: {} },
      },
    };
  }

  private homeSurface(user: string): Surface | undefined {
    const home = this.fake.records.homes.get(user);
    if (!home) return undefined;
    return {
      blocks: list(home.view.blocks),
      context: {
        container: { type: "view", view_id: home.id },
        view: {
          id: home.id,
          team_id: FAKE_TEAM.id,
          type: "home",
          ...home.view,
          hash: home.hash,
          state: { values: {} },
        },
      },
    };
  }

  private viewPayload(user: string, viewId: string, values: PageValue[]): Json {
    const stored = this.fake.views.get(viewId);
    const view = stored?.view ?? {};
    const stack = this.workspace.stack(user);
    return {
      id: viewId,
      team_id: FAKE_TEAM.id,
      type: str(view.type) || "modal",
      callback_id: str(view.callback_id),
      private_metadata: str(view.private_metadata),
      external_id: str(view.external_id),
      title: view.title,
      blocks: list(view.blocks),
      ...(view.submit ? { submit: view.submit } : {}),
      ...(view.close ? { close: view.close } : {}),
      state: { values: stateValues(list(view.blocks), values) },
      hash: stored?.hash ?? "",
      root_view_id: stack[0] ?? viewId,
      previous_view_id: stored?.previousId ?? null,
      notify_on_close: view.notify_on_close === true,
      app_id: APP_ID,
      bot_id: "B0BOT",
    };
  }

  /** Posts a body to the bot as Slack does: signed with the app's signing secret; returns the answer's text. */
  private async deliver(body: string, contentType?: string): Promise<string> {
    const request = signBody(this.bot.signingSecret, body);
    const headers = contentType ? { ...request.headers, "content-type": contentType } : request.headers;
    const res = await fetch(this.bot.eventsUrl, { method: "POST", headers, body });
    return res.text();
  }
}
