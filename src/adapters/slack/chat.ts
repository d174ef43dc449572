import type {
  Chat,
  ChatUser,
  HomeContent,
  Logger,
  Mentions,
  MessageRef,
  NoticeExtras,
  RequesterNotice,
} from "../../app/ports.js";
import type { AccessConfig } from "../../domain/config.js";
import type { AuditEvent, Grant } from "../../domain/grant.js";
import { TtlCache } from "../ttl-cache.js";
import type { WebClient } from "./client.js";
import { SlackAdapterError, SlackRateLimited, SlackRejected, SlackUnavailable } from "./errors.js";
import { approvalMessage } from "./views/approval.js";
import { auditLine } from "./views/audit.js";
import type { SlackMessage } from "./views/blocks.js";
import { extensionMessage } from "./views/extension.js";
import { homeView } from "./views/home.js";
import { requesterNotice } from "./views/notices.js";
import { nudgeMessage } from "./views/nudge.js";
import { refusalLine } from "./views/refusal.js";
import { requestMessage } from "./views/request-message.js";

/** Tunables with production defaults; tests pass a clock and a recording sleep. */
export interface SlackChatOptions {
  /** Epoch milliseconds, for "in 4h" in messages. */
  now?: () => number;
  /** How a Retry-After wait is spent; tests record it instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** How long a users.info answer is reused. */
  userTtlMs?: number;
  /** Users (and emails, and direct-message channels) each cache keeps at most; the oldest written is dropped. */
  maxCachedUsers?: number;
  /** Rate-limited answers waited out per call before giving up. */
  maxRateLimitWaits?: number;
  /** A longer Retry-After than this is not waited for: the call fails at once. */
  maxRetryAfterSeconds?: number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The Chat port over the Slack Web API; every Slack failure leaves here as a SlackAdapterError. */
export class SlackChat implements Chat {
  private readonly users: TtlCache<Promise<ChatUser>>;
  private readonly byEmail: TtlCache<Promise<string | undefined>>;
  private readonly dms: TtlCache<string>;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly userTtlMs: number;
  private readonly maxRateLimitWaits: number;
  private readonly maxRetryAfterSeconds: number;

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    options: SlackChatOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? wait;
    this.userTtlMs = options.userTtlMs ?? 10 * 60_000;
    this.maxRateLimitWaits = options.maxRateLimitWaits ?? 3;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 30;
    const clock = { now: () => this.now() };
    const bound = options.maxCachedUsers === undefined ? {} : { maxEntries: options.maxCachedUsers };
    this.users = new TtlCache(clock, bound);
    this.byEmail = new TtlCache(clock, bound);
    this.dms = new TtlCache(clock, bound);
  }

  user(slackId: string): Promise<ChatUser> {
    const cached = this.users.get(slackId);
    if (cached) return cached.value;
    const value = this.call("users.info", () => this.client.users.info({ user: slackId })).then((result) => {
      const email = result.user?.profile?.email;
      const tz = result.user?.tz;
      return { slackId, ...(email ? { email } : {}), ...(tz ? { tz } : {}) };
    });
    this.users.set(slackId, value, this.userTtlMs);
    value.catch(() => this.users.delete(slackId, value));
    return value;
  }

  async postRequest(grant: Grant, channel: string, parts?: readonly Grant[]): Promise<MessageRef> {
    return this.post(channel, requestOrGrantMessage(grant, parts, this.now()));
  }

  async updateRequest(ref: MessageRef, grant: Grant, parts?: readonly Grant[]): Promise<void> {
    const message = requestOrGrantMessage(grant, parts, this.now());
    await this.call("chat.update", () =>
      this.client.chat.update({ channel: ref.channel, ts: ref.ts, ...message }),
    );
  }

  async notifyRequester(
    grant: Grant,
    notice: RequesterNotice,
    config: AccessConfig,
    extras: NoticeExtras = {},
  ): Promise<void> {
    const slackId = grant.requester.slackId;
    const profile = await this.user(slackId).catch((error: unknown): ChatUser => {
      this.log.warn("slack: no profile for time zone; using UTC", { slackId, error: String(error) });
      return { slackId };
    });
    const channel = await this.directChannel(slackId);
    await this.post(channel, requesterNotice(grant, notice, config, profile, this.now(), extras));
  }

  async audit(channel: string, grant: Grant, event: AuditEvent): Promise<void> {
    await this.post(channel, auditLine(grant, event));
  }

  /** Cached like users.info; nobody with that email is cached too, for as long. */
  userIdByEmail(email: string): Promise<string | undefined> {
    const key = email.toLowerCase();
    const cached = this.byEmail.get(key);
    if (cached) return cached.value;
    const value = this.call("users.lookupByEmail", () => this.client.users.lookupByEmail({ email })).then(
      (result) => result.user?.id,
      (error: unknown) => {
        if (error instanceof SlackRejected && error.slackError === "users_not_found") return undefined;
        throw error;
      },
    );
    this.byEmail.set(key, value, this.userTtlMs);
    value.catch(() => this.byEmail.delete(key, value));
    return value;
  }

  async postNudge(ref: MessageRef, grant: Grant, approvers: Mentions): Promise<void> {
    await this.post(ref.channel, nudgeMessage(grant, approvers, this.now()), ref.ts);
  }

  async postExtension(grant: Grant, channel: string, thread?: string): Promise<MessageRef> {
    return this.post(channel, extensionMessage(grant, this.now()), thread);
  }

  async updateExtension(ref: MessageRef, grant: Grant): Promise<void> {
    const message = extensionMessage(grant, this.now());
    await this.call("chat.update", () =>
      this.client.chat.update({ channel: ref.channel, ts: ref.ts, ...message }),
    );
  }

  async publishHome(slackId: string, home: HomeContent): Promise<void> {
    const view = homeView(home, this.now());
    await this.call("views.publish", () => this.client.views.publish({ user_id: slackId, view }));
  }

  async auditRefusal(
    channel: string,
    actor: string,
    refusal: AuditEvent | undefined,
    heldBack: number,
  ): Promise<void> {
    await this.post(channel, refusalLine(actor, refusal, heldBack));
  }

  /** Posts a message, as a reply in the thread of `thread` when given. */
  private async post(channel: string, message: SlackMessage, thread?: string): Promise<MessageRef> {
    const result = await this.call("chat.postMessage", () =>
      this.client.chat.postMessage({
        channel,
        ...message,
        unfurl_links: false,
        unfurl_media: false,
        ...(thread ? { thread_ts: thread } : {}),
      }),
    );
    if (!result.channel || !result.ts)
      throw new SlackUnavailable("chat.postMessage", "answer without channel or ts");
    return { channel: result.channel, ts: result.ts };
  }

  private async directChannel(slackId: string): Promise<string> {
    const known = this.dms.get(slackId);
    if (known) return known.value;
    const result = await this.call("conversations.open", () =>
      this.client.conversations.open({ users: slackId }),
    );
    const id = result.channel?.id;
    if (!id) throw new SlackUnavailable("conversations.open", "answer without a channel id");
    // A user's direct-message channel does not change: it stays until the bound drops it.
    this.dms.set(slackId, id, Number.POSITIVE_INFINITY);
    return id;
  }

  /** Runs one Web API call, waiting out rate limits as Slack asks, and translates every failure. */
  private async call<T>(method: string, run: () => Promise<T>): Promise<T> {
    for (let waits = 0; ; waits++) {
      try {
        return await run();
      } catch (error) {
        const failure = translate(method, error);
        const retryable =
          failure instanceof SlackRateLimited &&
          waits < this.maxRateLimitWaits &&
          failure.retryAfterSeconds <= this.maxRetryAfterSeconds;
        if (!retryable) throw failure;
        this.log.warn("slack: rate limited; waiting", {
          method,
          retryAfterSeconds: failure.retryAfterSeconds,
        });
        await this.sleep(failure.retryAfterSeconds * 1000);
      }
    }
  }
}

/** A request of several parts has its own message; one grant keeps the approval message it always had. */
function requestOrGrantMessage(grant: Grant, parts: readonly Grant[] | undefined, now: number): SlackMessage {
  return parts && parts.length > 1 ? requestMessage(parts, now) : approvalMessage(grant, now);
}

interface SlackLibraryError {
  code?: unknown;
  retryAfter?: unknown;
  data?: { error?: unknown };
  statusCode?: unknown;
  message?: unknown;
}

/** Maps @slack/web-api errors (by their stable codes) to this adapter's errors. */
export function translate(method: string, error: unknown): SlackAdapterError {
  if (error instanceof SlackAdapterError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as SlackLibraryError;
  switch (e.code) {
    case "slack_webapi_rate_limited_error":
      return new SlackRateLimited(method, typeof e.retryAfter === "number" ? e.retryAfter : 1, {
        cause: error,
      });
    case "slack_webapi_platform_error":
      return new SlackRejected(method, String(e.data?.error ?? "unknown_error"), { cause: error });
    case "slack_webapi_http_error":
      return new SlackUnavailable(method, `HTTP ${String(e.statusCode)}`, { cause: error });
    default:
      return new SlackUnavailable(method, typeof e.message === "string" ? e.message : String(error), {
        cause: error,
      });
  }
}
