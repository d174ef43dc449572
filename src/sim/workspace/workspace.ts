import { DateTime } from "luxon";
import type { FakeSlack, FakeSlackEvent } from "../slack/fake-slack.js";
import { dmOf } from "../slack/records.js";
import { renderHome, renderMessage, renderModal } from "./blocks.js";
import { type Json, list, str } from "./elements.js";
import { type Html, html } from "./html.js";
import { ModalStacks } from "./modals.js";
import type { Directory } from "./mrkdwn.js";

/** Someone the page can act as. */
export interface WorkspacePerson {
  slackId: string;
  name: string;
  email: string;
  groups: string[];
}

/** A channel, or a person's direct messages with the app (the app's Messages tab). */
export interface Conversation {
  id: string;
  name: string;
  kind: "channel" | "app";
}

/** One line in a conversation: a bot message, an ephemeral reply, or a command the viewer typed. */
export interface WsItem {
  key: string;
  conversation: string;
  ts: string;
  threadTs?: string;
  /** A Slack user id, or undefined for the app. */
  author?: string;
  /** Only this user sees it. */
  visibleTo?: string;
  html: string;
  edited: boolean;
  seq: number;
  /** What Slack would send back as `message` on a click: text and blocks as posted. */
  message: { text?: string; blocks?: unknown[] };
}

/** Where a response_url leads: whose action it answers, in which conversation, from which message. */
export interface ResponseContext {
  user: string;
  channel: string;
  sourceKey?: string;
  threadTs?: string;
}

/** What changed, for the page. */
export type WorkspaceChange =
  | { kind: "item"; item: WsItem }
  | { kind: "item-removed"; item: WsItem }
  | { kind: "modal"; user: string }
  | { kind: "home"; user: string }
  | { kind: "conversation"; conversation: Conversation };

/** The app's display name in the workspace. */
export const APP_NAME = "aws-access";

/** Slack as a person sees it: conversations, messages, modals and Home tabs, built from what the fake Slack records. */
export class Workspace {
  readonly directory: Directory;
  private readonly items = new Map<string, WsItem>();
  private readonly channels = new Map<string, Conversation>();
  private readonly modals: ModalStacks;
  private readonly contexts = new Map<string, ResponseContext>();
  private readonly listeners = new Set<(change: WorkspaceChange) => void>();
  private seq = 0;
  private counter = 0;

  constructor(
    private readonly fake: FakeSlack,
    readonly people: WorkspacePerson[],
    channels: Array<{ id: string; name: string }>,
    options: { tz: string; now: () => number },
  ) {
    for (const c of channels) this.channels.set(c.id, { id: c.id, name: c.name, kind: "channel" });
    const names = new Map(people.map((p) => [p.slackId, p.name]));
    this.directory = {
      userName: (id) => (id === "U0BOT" ? APP_NAME : names.get(id)),
      channelName: (id) => this.channels.get(id)?.name ?? (id.startsWith("D") ? APP_NAME : undefined),
      tz: options.tz,
      now: options.now,
    };
    this.modals = new ModalStacks(fake, (user) => this.emit({ kind: "modal", user }));
    fake.subscribe((event) => this.observe(event));
  }

  onChange(listener: (change: WorkspaceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  person(slackId: string): WorkspacePerson | undefined {
    return this.people.find((p) => p.slackId === slackId);
  }

  /** The channels everyone sees, and the viewer's own Messages tab with the app. */
  conversationsFor(user: string): Conversation[] {
    return [...this.channels.values(), { id: dmOf(user), name: APP_NAME, kind: "app" }];
  }

  visibleTo(item: WsItem, user: string): boolean {
    if (item.visibleTo && item.visibleTo !== user) return false;
    return !item.conversation.startsWith("D") || item.conversation === dmOf(user);
  }

  itemsFor(user: string): WsItem[] {
    return [...this.items.values()]
      .filter((item) => this.visibleTo(item, user))
      .sort((a, b) => a.seq - b.seq);
  }

  item(key: string): WsItem | undefined {
    return this.items.get(key);
  }

  /** The top of the user's modal stack, rendered; undefined when no modal is open. */
  modalFor(user: string): { viewId: string; html: Html } | undefined {
    const top = this.modals.top(user);
    if (!top) return undefined;
    return { viewId: top.viewId, html: renderModal(top.view, top, this.directory) };
  }

  homeFor(user: string): Html | undefined {
    const home = this.fake.records.homes.get(user);
    return home ? renderHome(home.view, home.id, this.directory) : undefined;
  }

  /** A trigger_id for something `user` just did; a modal opened with it opens on their screen. */
  trigger(user: string): string {
    return this.modals.trigger(user);
  }

  /** A response_url whose posts appear for `context.user` in `context.channel`. */
  responseUrl(context: ResponseContext): string {
    const id = `w${++this.counter}`;
    this.contexts.set(id, context);
    return this.fake.responseUrl(id);
  }

  /** The command a person typed, shown only to them (Slack shows nothing; the sandbox shows what was sent). */
  echoCommand(user: string, channel: string, text: string): void {
    const markup = html`<div class="command-echo"><code>${text}</code></div>`;
    this.upsert({
      key: `c${++this.counter}`,
      conversation: channel,
      ts: this.fake.records.nextTs(),
      author: user,
      visibleTo: user,
      html: markup.__html,
      message: {},
    });
  }

  /** The view ids in the user's modal stack, bottom first. */
  stack(user: string): string[] {
    return this.modals.stack(user);
  }

  /** How the bot answered a view_submission (see ModalStacks). */
  applySubmissionAnswer(user: string, viewId: string, answer: Json, updatesBefore: number): void {
    this.modals.applySubmissionAnswer(user, viewId, answer, updatesBefore);
  }

  /** The person closed the top view (`back`) or every view (`clear`). */
  closeModal(user: string, how: "back" | "clear"): void {
    this.modals.close(user, how);
  }

  private observe(event: FakeSlackEvent): void {
    switch (event.type) {
      case "message": {
        const { message, change } = event;
        const key = `m:${message.channel}:${message.ts}`;
        const existing = this.items.get(key);
        if (change === "deleted") {
          if (existing) this.remove(existing);
          return;
        }
        this.ensureChannel(message.channel);
        this.upsert({
          key,
          conversation: message.channel,
          ts: message.ts,
          ...(message.threadTs && message.threadTs !== message.ts ? { threadTs: message.threadTs } : {}),
          html: renderMessage(message, this.directory).__html,
          edited: change === "updated",
          message: {
            ...(message.text !== undefined ? { text: message.text } : {}),
            ...(message.blocks ? { blocks: message.blocks } : {}),
          },
        });
        return;
      }
      case "ephemeral": {
        const e = event.ephemeral;
        this.upsert({
          key: `e:${e.channel}:${e.ts}`,
          conversation: e.channel,
          ts: e.ts,
          ...(e.threadTs ? { threadTs: e.threadTs } : {}),
          visibleTo: e.user,
          html: renderMessage(e, this.directory).__html,
          message: {
            ...(e.text !== undefined ? { text: e.text } : {}),
            ...(e.blocks ? { blocks: e.blocks } : {}),
          },
        });
        return;
      }
      case "view":
        this.modals.observe(event.view, event.change);
        return;
      case "home":
        this.emit({ kind: "home", user: event.user });
        return;
      case "response":
        this.respond(event.id, event.body);
        return;
      default:
        return;
    }
  }

  /** A post to a response_url: replaces or deletes the source message, or adds a reply (ephemeral unless in_channel). */
  private respond(id: string, body: Json): void {
    const context = this.contexts.get(id);
    if (!context) return;
    const source = context.sourceKey ? this.items.get(context.sourceKey) : undefined;
    const truthy = (value: unknown) => value === true || value === "true";
    if (source && truthy(body.delete_original)) {
      if (source.key.startsWith("m:"))
        this.fake.records.answer("chat.delete", { channel: source.conversation, ts: source.ts }, "");
      else this.remove(source);
      return;
    }
    const message = {
      text: str(body.text),
      ...(Array.isArray(body.blocks) ? { blocks: list(body.blocks) } : {}),
    };
    if (source && truthy(body.replace_original)) {
      if (source.key.startsWith("m:")) {
        this.fake.records.answer(
          "chat.update",
          { channel: source.conversation, ts: source.ts, ...message },
          "",
        );
      } else {
        this.upsert({
          ...source,
          html: renderMessage(message, this.directory).__html,
          edited: true,
          message,
        });
      }
      return;
    }
    const inChannel = body.response_type === "in_channel";
    if (inChannel && !context.channel.startsWith("D")) {
      this.fake.records.answer(
        "chat.postMessage",
        {
          channel: context.channel,
          ...message,
          ...(context.threadTs ? { thread_ts: context.threadTs } : {}),
        },
        "",
      );
      return;
    }
    this.ensureChannel(context.channel);
    this.upsert({
      key: `r:${id}:${++this.counter}`,
      conversation: context.channel,
      ts: this.fake.records.nextTs(),
      ...(context.threadTs ? { threadTs: context.threadTs } : {}),
      ...(inChannel ? {} : { visibleTo: context.user }),
      html: renderMessage(message, this.directory).__html,
      message,
    });
  }

  private ensureChannel(id: string): void {
    if (id.startsWith("D") || this.channels.has(id)) return;
    const conversation: Conversation = { id, name: id.replace(/^C0?/, "").toLowerCase(), kind: "channel" };
    this.channels.set(id, conversation);
    this.emit({ kind: "conversation", conversation });
  }

  private upsert(next: Omit<WsItem, "seq" | "edited"> & { edited?: boolean }): void {
    const existing = this.items.get(next.key);
    const item: WsItem = { ...next, edited: next.edited ?? false, seq: existing?.seq ?? ++this.seq };
    this.items.set(item.key, item);
    this.emit({ kind: "item", item });
  }

  private remove(item: WsItem): void {
    this.items.delete(item.key);
    this.emit({ kind: "item-removed", item });
  }

  private emit(change: WorkspaceChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** "14:05" for a message's ts in the workspace's zone. */
export function timeOf(ts: string, tz: string): string {
  return DateTime.fromMillis(Number(ts) * 1000, { zone: tz }).toFormat("HH:mm");
}
