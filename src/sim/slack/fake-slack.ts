import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Answer, parseArgs, readBody, send } from "./http.js";
import {
  type FakeEphemeral,
  type FakeMessage,
  type FakeRecordEvent,
  type FakeSlackUser,
  type FakeView,
  fail,
  SlackRecords,
} from "./records.js";

export type { FakeEphemeral, FakeMessage, FakeSlackUser, FakeView };

/** One Web API call as the fake saw it, with what it answered. */
export interface FakeCall {
  method: string;
  args: Record<string, unknown>;
  /** "ok", a Slack error code, "ratelimited" or "http-500". */
  answer: string;
}

/** Everything an observer can see: each call, each change to the records, each response_url post. */
export type FakeSlackEvent =
  | { type: "call"; call: FakeCall }
  | { type: "response"; id: string; body: Record<string, unknown> }
  | FakeRecordEvent;

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
  /** Epoch ms for message timestamps; the sandbox passes its clock, which can be moved forward. */
  now?: () => number;
}

/** The Slack Web API methods the bot uses, and response_url endpoints, on loopback for tests and the sandbox. */
export class FakeSlack {
  readonly calls: FakeCall[] = [];
  /** Bodies posted to each response_url, keyed by its id. */
  readonly responses = new Map<string, Record<string, unknown>[]>();
  /** Messages, ephemerals, modals and Home tabs, as the calls left them. */
  readonly records: SlackRecords;
  private readonly random: () => number;
  private readonly observers = new Set<(event: FakeSlackEvent) => void>();
  private fault: FaultSetting | undefined;
  private scripted: Array<Omit<FaultSetting, "share">> = [];
  private server: Server | undefined;
  private baseUrl = "";
  private counter = 0;
  private latencyMs = 0;

  constructor(private readonly options: FakeSlackOptions = {}) {
    this.records = new SlackRecords((event) => this.emit(event), options.now);
    for (const user of options.users ?? []) this.addUser(user);
    this.random = options.random ?? Math.random;
  }

  get messages(): FakeMessage[] {
    return this.records.messages;
  }

  get views(): Map<string, FakeView> {
    return this.records.views;
  }

  /** Calls `observer` with every event from now on; returns how to stop. */
  subscribe(observer: (event: FakeSlackEvent) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  addUser(user: FakeSlackUser): void {
    this.records.users.set(user.id, user);
  }

  /** Where apps.connections.open sends Socket Mode clients (a WebSocket server on loopback); unset, it fails. */
  socketModeUrl: string | undefined;
  /** The scopes auth.test reports in its x-oauth-scopes header, as Slack does for the token; unset, none. */
  scopes: string[] | undefined;
  /** Channels the bot is not in: conversations.info answers is_member false for them. */
  readonly notMemberOf = new Set<string>();

  /** The records' answer, with the settings above applied. */
  private answerWithSettings(method: string, args: Record<string, unknown>): Answer {
    if (method === "apps.connections.open") {
      const url = this.socketModeUrl;
      return url ? { status: 200, body: { ok: true, url } } : fail("not_allowed_token_type");
    }
    const answer = this.records.answer(method, args, this.baseUrl);
    if (method === "auth.test" && this.scopes) {
      answer.headers = { ...answer.headers, "x-oauth-scopes": this.scopes.join(",") };
    }
    const channel = answer.body.channel as Record<string, unknown> | undefined;
    if (method === "conversations.info" && channel && this.notMemberOf.has(String(channel.id))) {
      answer.body = { ...answer.body, channel: { ...channel, is_member: false } };
    }
    return answer;
  }

  /** Every Web API call is answered this many ms late (0: at once); a long value makes Slack hang. */
  latency(ms: number): void {
    this.latencyMs = ms;
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
      this.emit({ type: "response", id: respond[1], body: args });
      return send(res, { status: 200, body: { ok: true } });
    }
    const api = /^\/api\/([\w.]+)$/.exec(path);
    if (!api?.[1] || req.method !== "POST")
      return send(res, { status: 404, body: { ok: false, error: "not_found" } });
    const method = api[1];
    // A slow or hung Slack: the Web API answers only after this long (the response_url is not slowed).
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const answer =
      this.faultFor(method) ?? this.authorised(req, args) ?? this.answerWithSettings(method, args);
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
    this.emit({ type: "call", call });
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

  private emit(event: FakeSlackEvent): void {
    for (const observer of this.observers) observer(event);
  }
}
