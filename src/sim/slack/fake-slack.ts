import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Answer, parseArgs, readBody, send } from "./http.js";

/** A seeded Slack user: users.info answers with this profile. */
export interface FakeSlackUser {
  id: string;
  email?: string;
  tz?: string;
  name?: string;
}

/** One Web API call as the fake saw it, with what it answered. */
export interface FakeCall {
  method: string;
  args: Record<string, unknown>;
  /** "ok", a Slack error code, "ratelimited" or "http-500". */
  answer: string;
}

/** A message the fake holds, as posted and then updated. */
export interface FakeMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  /** How many times chat.update changed it. */
  updates: number;
}

/** A modal opened (and maybe updated) through the fake. */
export interface FakeView {
  id: string;
  view: Record<string, unknown>;
  updates: number;
}

/** Slack misbehaving on purpose: a share of calls (0..1) answered 429 + Retry-After, or HTTP 500. */
export interface FaultSetting {
  share: number;
  kind: "ratelimited" | "server-error";
  retryAfterSeconds?: number;
  /** Only these methods fail; all when absent. */
  methods?: string[];
}

/** Seed users, the accepted token, randomness and a call observer. */
export interface FakeSlackOptions {
  users?: FakeSlackUser[];
  /** When set, calls with another bearer token get `invalid_auth`. */
  token?: string;
  /** Where the fake's randomness comes from (fault shares); seed it for repeatable runs. */
  random?: () => number;
  /** Observes every call, e.g. to print what the bot said in the sandbox. */
  onCall?: (call: FakeCall) => void;
}

const CHANNEL = /^[CGD][A-Z0-9]+$/;
const USER = /^[UW][A-Z0-9]+$/;

/** The Slack Web API methods the bot uses, and response_url endpoints, on loopback for tests and the sandbox. */
export class FakeSlack {
  readonly calls: FakeCall[] = [];
  readonly messages: FakeMessage[] = [];
  readonly views = new Map<string, FakeView>();
  /** Bodies posted to each response_url, keyed by its id. */
  readonly responses = new Map<string, Record<string, unknown>[]>();
  private readonly users = new Map<string, FakeSlackUser>();
  private readonly random: () => number;
  private fault: FaultSetting | undefined;
  private scripted: Array<Omit<FaultSetting, "share">> = [];
  private server: Server | undefined;
  private baseUrl = "";
  private counter = 0;

  constructor(private readonly options: FakeSlackOptions = {}) {
    for (const user of options.users ?? []) this.addUser(user);
    this.random = options.random ?? Math.random;
  }

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, user);
  }

  /** Sets (or clears) the share of calls that fail. */
  faults(setting: FaultSetting | undefined): void {
    this.fault = setting;
  }

  /** The next `count` calls (of `methods`, if given) fail the given way, then Slack is healthy again. */
  failNext(count: number, kind: FaultSetting["kind"], retryAfterSeconds = 1, methods?: string[]): void {
    for (let i = 0; i < count; i++)
      this.scripted.push({ kind, retryAfterSeconds, ...(methods ? { methods } : {}) });
  }

  callsTo(method: string): FakeCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  messagesIn(channel: string): FakeMessage[] {
    return this.messages.filter((message) => message.channel === channel);
  }

  /** A fresh response_url on this fake; what is posted to it shows up in `responses`. */
  responseUrl(id = `r${++this.counter}`): string {
    if (!this.server) throw new Error("FakeSlack is not started");
    return `${this.baseUrl}/respond/${id}`;
  }

  responsesTo(id: string): Record<string, unknown>[] {
    return this.responses.get(id) ?? [];
  }

  /** Listens on 127.0.0.1 (a free port unless one is given). */
  async start(port = 0): Promise<{ apiUrl: string; baseUrl: string; close(): Promise<void> }> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) =>
        send(res, { status: 500, body: { ok: false, error: String(error) } }),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { apiUrl: `${this.baseUrl}/api/`, baseUrl: this.baseUrl, close: () => this.close() };
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const raw = await readBody(req);
    const args = parseArgs(raw, String(req.headers["content-type"] ?? ""));
    const respond = /^\/respond\/([^/]+)$/.exec(path);
    if (respond?.[1] && req.method === "POST") {
      const list = this.responses.get(respond[1]) ?? [];
      list.push(args);
      this.responses.set(respond[1], list);
      return send(res, { status: 200, body: { ok: true } });
    }
    const api = /^\/api\/([\w.]+)$/.exec(path);
    if (!api?.[1] || req.method !== "POST")
      return send(res, { status: 404, body: { ok: false, error: "not_found" } });
    const method = api[1];
    const answer = this.faultFor(method) ?? this.authorised(req, args) ?? this.answer(method, args);
    const label =
      answer.status === 429
        ? "ratelimited"
        : answer.status !== 200
          ? `http-${answer.status}`
          : answer.body.ok
            ? "ok"
            : String(answer.body.error);
    const call: FakeCall = { method, args, answer: label };
    this.calls.push(call);
    this.options.onCall?.(call);
    send(res, answer);
  }

  private faultFor(method: string): Answer | undefined {
    const index = this.scripted.findIndex((fault) => !fault.methods || fault.methods.includes(method));
    let fault: Omit<FaultSetting, "share"> | undefined;
    if (index >= 0) fault = this.scripted.splice(index, 1)[0];
    else if (
      this.fault &&
      (!this.fault.methods || this.fault.methods.includes(method)) &&
      this.random() < this.fault.share
    ) {
      fault = this.fault;
    }
    if (!fault) return undefined;
    if (fault.kind === "server-error") return { status: 500, body: { ok: false, error: "internal_error" } };
    const retryAfter = String(fault.retryAfterSeconds ?? 1);
    return { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": retryAfter } };
  }

  private authorised(req: IncomingMessage, args: Record<string, unknown>): Answer | undefined {
    if (!this.options.token) return undefined;
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1] ?? args.token;
    return bearer === this.options.token ? undefined : fail("invalid_auth");
  }

  private answer(method: string, args: Record<string, unknown>): Answer {
    switch (method) {
      case "auth.test":
        return ok({
          url: `${this.baseUrl}/`,
          team: "Sandbox",
          user: "aws-access",
          team_id: "T0SANDBOX",
          user_id: "U0BOT",
          bot_id: "B0BOT",
        });
      case "users.info": {
        const user = this.users.get(String(args.user));
        if (!user) return fail("user_not_found");
        const profile = {
          email: user.email,
          real_name: user.name ?? user.id,
          display_name: user.name ?? user.id,
        };
        return ok({ user: { id: user.id, name: user.name ?? user.id, tz: user.tz, profile } });
      }
      case "conversations.open": {
        const user = String(args.users ?? "").split(",")[0] ?? "";
        return USER.test(user) ? ok({ channel: { id: dmOf(user) } }) : fail("user_not_found");
      }
      case "chat.postMessage":
        return this.post(args);
      case "chat.update": {
        const message = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts);
        if (!message) return fail("message_not_found");
        message.text = typeof args.text === "string" ? args.text : message.text;
        message.blocks = Array.isArray(args.blocks) ? args.blocks : message.blocks;
        message.updates += 1;
        return ok({ channel: message.channel, ts: message.ts, text: message.text });
      }
      case "chat.postEphemeral":
        if (!channelOf(args.channel) || !USER.test(String(args.user))) return fail("channel_not_found");
        return ok({ message_ts: this.nextTs() });
      case "views.open":
        if (!args.trigger_id) return fail("invalid_trigger_id");
        return this.storeView(`V${String(++this.counter).padStart(8, "0")}`, args.view);
      case "views.update": {
        const id = String(args.view_id ?? "");
        return this.views.has(id) ? this.storeView(id, args.view) : fail("not_found");
      }
      default:
        return fail("unknown_method");
    }
  }

  private post(args: Record<string, unknown>): Answer {
    const channel = channelOf(args.channel);
    if (!channel) return fail("channel_not_found");
    if (typeof args.text !== "string" && !Array.isArray(args.blocks)) return fail("no_text");
    const message: FakeMessage = { channel, ts: this.nextTs(), updates: 0 };
    if (typeof args.text === "string") message.text = args.text;
    if (Array.isArray(args.blocks)) message.blocks = args.blocks;
    this.messages.push(message);
    return ok({ channel, ts: message.ts, message: { text: message.text, blocks: message.blocks } });
  }

  private storeView(id: string, view: unknown): Answer {
    if (typeof view !== "object" || view === null) return fail("invalid_arguments");
    const existing = this.views.get(id);
    const stored: FakeView = {
      id,
      view: view as Record<string, unknown>,
      updates: existing ? existing.updates + 1 : 0,
    };
    this.views.set(id, stored);
    return ok({ view: { id, ...stored.view } });
  }

  private nextTs(): string {
    return `${Math.floor(Date.now() / 1000)}.${String(++this.counter).padStart(6, "0")}`;
  }
}

function ok(body: Record<string, unknown>): Answer {
  return { status: 200, body: { ok: true, ...body } };
}

function fail(error: string): Answer {
  return { status: 200, body: { ok: false, error } };
}

function dmOf(user: string): string {
  return `D${user.slice(1)}`;
}

/** A channel id as Slack would post to it; a user id posts to the DM with that user. */
function channelOf(value: unknown): string | undefined {
  const text = String(value ?? "");
  if (CHANNEL.test(text)) return text;
  return USER.test(text) ? dmOf(text) : undefined;
}
