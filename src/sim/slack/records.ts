import type { Answer } from "./http.js";

/** A seeded Slack user: users.info answers with this profile. */
export interface FakeSlackUser {
  id: string;
  email?: string;
  tz?: string;
  name?: string;
}

/** A message the fake holds, as posted and then updated. */
export interface FakeMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  /** The parent's ts when the message is a threaded reply. */
  threadTs?: string;
  /** How many times chat.update changed it. */
  updates: number;
}

/** A chat.postEphemeral message: only `user` sees it, in `channel`. */
export interface FakeEphemeral {
  channel: string;
  user: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  threadTs?: string;
}

/** A modal opened, pushed or updated through the fake, or a user's published Home tab. */
export interface FakeView {
  id: string;
  view: Record<string, unknown>;
  updates: number;
  /** The trigger the view was opened or pushed with (says whose screen it is on). */
  triggerId?: string;
  /** Set by views.push: the view it was pushed on top of. */
  previousId?: string;
  /** Changes on every update; views.update with an older hash is refused, as Slack does. */
  hash: string;
}

/** What changed in the fake's records, for observers such as the sandbox workspace. */
export type FakeRecordEvent =
  | { type: "message"; message: FakeMessage; change: "posted" | "updated" | "deleted" }
  | { type: "ephemeral"; ephemeral: FakeEphemeral }
  | { type: "view"; view: FakeView; change: "opened" | "pushed" | "updated" }
  | { type: "home"; user: string; view: FakeView };

const CHANNEL = /^[CGD][A-Z0-9]+$/;
const USER = /^[UW][A-Z0-9]+$/;

/** The team every fake answer belongs to. */
export const FAKE_TEAM = { id: "T0SANDBOX", name: "Sandbox", domain: "sandbox" } as const;

/** Messages, ephemerals, modals and Home tabs as Slack keeps them, and the Web API methods that change them. */
export class SlackRecords {
  readonly messages: FakeMessage[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly views = new Map<string, FakeView>();
  /** Published Home tabs by Slack user id. */
  readonly homes = new Map<string, FakeView>();
  readonly users = new Map<string, FakeSlackUser>();
  private counter = 0;

  constructor(
    private readonly emit: (event: FakeRecordEvent) => void,
    /** Epoch ms for message timestamps (the sandbox passes its movable clock). */
    private readonly now: () => number = Date.now,
  ) {}

  /** Answers one Web API method; `baseUrl` is where the fake listens. */
  answer(method: string, args: Record<string, unknown>, baseUrl: string): Answer {
    switch (method) {
      case "auth.test":
        return ok({
          url: `${baseUrl}/`,
          team: FAKE_TEAM.name,
          user: "aws-access",
          team_id: FAKE_TEAM.id,
          user_id: "U0BOT",
          bot_id: "B0BOT",
        });
      case "users.info": {
        const user = this.users.get(String(args.user));
        return user ? ok({ user: profileOf(user) }) : fail("user_not_found");
      }
      case "users.lookupByEmail": {
        const email = String(args.email ?? "").toLowerCase();
        const user = [...this.users.values()].find((u) => u.email?.toLowerCase() === email);
        return user ? ok({ user: profileOf(user) }) : fail("users_not_found");
      }
      case "conversations.open": {
        const user = String(args.users ?? "").split(",")[0] ?? "";
        return USER.test(user) ? ok({ channel: { id: dmOf(user) } }) : fail("user_not_found");
      }
      case "conversations.info": {
        const channel = channelOf(args.channel);
        if (!channel) return fail("channel_not_found");
        return ok({ channel: { id: channel, name: channel.toLowerCase(), is_member: true } });
      }
      case "chat.postMessage":
        return this.post(args);
      case "chat.update":
        return this.update(args);
      case "chat.delete":
        return this.delete(args);
      case "chat.postEphemeral":
        return this.postEphemeral(args);
      case "views.open":
        if (!args.trigger_id) return fail("invalid_trigger_id");
        return this.storeView(this.viewId(), args.view, "opened", { triggerId: String(args.trigger_id) });
      case "views.push":
        return this.push(args);
      case "views.update":
        return this.updateView(args);
      case "views.publish":
        return this.publish(args);
      default:
        return fail("unknown_method");
    }
  }

  /** Stores a view Slack shows without a Web API call (a view_submission answered with update or push). */
  putView(view: Record<string, unknown>, replacing?: string): FakeView {
    const id = replacing && this.views.has(replacing) ? replacing : this.viewId();
    const existing = this.views.get(id);
    const stored: FakeView = {
      ...(existing ?? {}),
      id,
      view,
      updates: existing ? existing.updates + 1 : 0,
      hash: this.hash(),
    };
    this.views.set(id, stored);
    return stored;
  }

  private post(args: Record<string, unknown>): Answer {
    const channel = channelOf(args.channel);
    if (!channel) return fail("channel_not_found");
    if (typeof args.text !== "string" && !Array.isArray(args.blocks)) return fail("no_text");
    const message: FakeMessage = { channel, ts: this.nextTs(), updates: 0 };
    if (typeof args.text === "string") message.text = args.text;
    if (Array.isArray(args.blocks)) message.blocks = args.blocks;
    if (typeof args.thread_ts === "string" && args.thread_ts) message.threadTs = args.thread_ts;
    this.messages.push(message);
    this.emit({ type: "message", message, change: "posted" });
    return ok({ channel, ts: message.ts, message: { text: message.text, blocks: message.blocks } });
  }

  private update(args: Record<string, unknown>): Answer {
    const message = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts);
    if (!message) return fail("message_not_found");
    message.text = typeof args.text === "string" ? args.text : message.text;
    message.blocks = Array.isArray(args.blocks) ? args.blocks : message.blocks;
    message.updates += 1;
    this.emit({ type: "message", message, change: "updated" });
    return ok({ channel: message.channel, ts: message.ts, text: message.text });
  }

  private delete(args: Record<string, unknown>): Answer {
    const index = this.messages.findIndex((m) => m.channel === args.channel && m.ts === args.ts);
    const [message] = index >= 0 ? this.messages.splice(index, 1) : [];
    if (!message) return fail("message_not_found");
    this.emit({ type: "message", message, change: "deleted" });
    return ok({ channel: message.channel, ts: message.ts });
  }

  private postEphemeral(args: Record<string, unknown>): Answer {
    const channel = channelOf(args.channel);
    const user = String(args.user ?? "");
    if (!channel || !USER.test(user)) return fail("channel_not_found");
    const ephemeral: FakeEphemeral = { channel, user, ts: this.nextTs() };
    if (typeof args.text === "string") ephemeral.text = args.text;
    if (Array.isArray(args.blocks)) ephemeral.blocks = args.blocks;
    if (typeof args.thread_ts === "string" && args.thread_ts) ephemeral.threadTs = args.thread_ts;
    this.ephemerals.push(ephemeral);
    this.emit({ type: "ephemeral", ephemeral });
    return ok({ message_ts: ephemeral.ts });
  }

  /** A view pushed over the one its trigger opened. */
  private push(args: Record<string, unknown>): Answer {
    if (!args.trigger_id) return fail("invalid_trigger_id");
    const triggerId = String(args.trigger_id);
    const under = [...this.views.values()].reverse().find((v) => v.triggerId === triggerId);
    return this.storeView(this.viewId(), args.view, "pushed", {
      triggerId,
      ...(under ? { previousId: under.id } : {}),
    });
  }

  private updateView(args: Record<string, unknown>): Answer {
    const byExternal = [...this.views.values()].find(
      (v) => args.external_id !== undefined && v.view.external_id === args.external_id,
    );
    const existing = this.views.get(String(args.view_id ?? "")) ?? byExternal;
    if (!existing) return fail("not_found");
    if (typeof args.hash === "string" && args.hash !== existing.hash) return fail("hash_conflict");
    return this.storeView(existing.id, args.view, "updated", {});
  }

  private publish(args: Record<string, unknown>): Answer {
    const user = String(args.user_id ?? "");
    if (!this.users.has(user)) return fail("user_not_found");
    if (typeof args.view !== "object" || args.view === null) return fail("invalid_arguments");
    const existing = this.homes.get(user);
    if (existing && typeof args.hash === "string" && args.hash !== existing.hash)
      return fail("hash_conflict");
    const home: FakeView = {
      id: existing?.id ?? this.viewId(),
      view: args.view as Record<string, unknown>,
      updates: existing ? existing.updates + 1 : 0,
      hash: this.hash(),
    };
    this.homes.set(user, home);
    this.emit({ type: "home", user, view: home });
    return ok({ view: { id: home.id, hash: home.hash, ...home.view } });
  }

  private storeView(
    id: string,
    view: unknown,
    change: "opened" | "pushed" | "updated",
    extra: { triggerId?: string; previousId?: string },
  ): Answer {
    if (typeof view !== "object" || view === null) return fail("invalid_arguments");
    const existing = this.views.get(id);
    const stored: FakeView = {
      ...(existing ?? {}),
      ...extra,
      id,
      view: view as Record<string, unknown>,
      updates: existing ? existing.updates + 1 : 0,
      hash: this.hash(),
    };
    this.views.set(id, stored);
    this.emit({ type: "view", view: stored, change });
    return ok({ view: { id, hash: stored.hash, ...stored.view } });
  }

  private viewId(): string {
    return `V${String(++this.counter).padStart(8, "0")}`;
  }

  private hash(): string {
    return `${Math.floor(this.now() / 1000)}.${String(++this.counter).padStart(8, "0")}`;
  }

  /** Unique and increasing, like Slack's: seconds, then a counter. */
  nextTs(): string {
    return `${Math.floor(this.now() / 1000)}.${String(++this.counter).padStart(6, "0")}`;
  }
}

function profileOf(user: FakeSlackUser) {
  const profile = { email: user.email, real_name: user.name ?? user.id, display_name: user.name ?? user.id };
  return { id: user.id, team_id: FAKE_TEAM.id, name: user.name ?? user.id, tz: user.tz, profile };
}

export function ok(body: Record<string, unknown>): Answer {
  return { status: 200, body: { ok: true, ...body } };
}

export function fail(error: string): Answer {
  return { status: 200, body: { ok: false, error } };
}

/** The direct message channel between the bot and a user. */
export function dmOf(user: string): string {
  return `D${user.slice(1)}`;
}

/** A channel id as Slack would post to it; a user id posts to the DM with that user. */
export function channelOf(value: unknown): string | undefined {
  const text = String(value ?? "");
  if (CHANNEL.test(text)) return text;
  return USER.test(text) ? dmOf(text) : undefined;
}
