import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { readBody } from "../slack/http.js";
import type { SandboxClock } from "./clock.js";
import { isRecord, type Json, list, str } from "./elements.js";
import type { PanelFeed } from "./feed.js";
import type { Interactions, PageAction, Source } from "./interactions.js";
import { itemDto, pageShell } from "./page.js";
import type { PageValue } from "./values.js";
import type { Workspace, WorkspaceChange } from "./workspace.js";

/** The page's script and style, read from the source tree (the same path from src/ and from dist/). */
const PAGE_DIR = fileURLToPath(new URL("../../../src/sim/workspace/page/", import.meta.url));
const ASSETS: Record<string, { file: string; type: string }> = Object.fromEntries(
  ["workspace.js", "api.js", "forms.js", "blocks.css", "workspace.css"].map((file) => [
    `/${file}`,
    { file, type: file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8" },
  ]),
);
const MAX_BODY = 1_000_000;

/** Everything the page server serves and forwards. */
export interface WorkspaceServerParts {
  workspace: Workspace;
  interactions: Interactions;
  panel: PanelFeed;
  clock: SandboxClock;
  /** The bot's own HTTP address; /slack/events and /healthz are forwarded there. */
  botUrl: string;
  example?: string;
}

interface Client {
  res: ServerResponse;
  user: string;
}

/** The workspace page on loopback: the page, its live event stream, what people do, and the bot's endpoints. */
export class WorkspaceServer {
  private readonly clients = new Set<Client>();
  private readonly assets = new Map<string, string>();
  private readonly unsubscribe: Array<() => void> = [];
  private server: Server | undefined;

  constructor(private readonly parts: WorkspaceServerParts) {
    for (const [path, asset] of Object.entries(ASSETS)) {
      this.assets.set(path, readFileSync(`${PAGE_DIR}${asset.file}`, "utf8"));
    }
    this.unsubscribe.push(
      parts.workspace.onChange((change) => this.broadcast(change)),
      parts.panel.onChange((html) => this.send((c) => c, "panel", { html })),
      parts.clock.onChange((offset) => this.send((c) => c, "clock", { offset })),
    );
  }

  /** Listens on 127.0.0.1; resolves to the page's URL. */
  async start(port: number): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(error instanceof Error ? error.message : String(error));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  async close(): Promise<void> {
    for (const off of this.unsubscribe) off();
    for (const client of this.clients) client.res.end();
    this.clients.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/slack/events" || url.pathname === "/healthz") return this.forward(req, res, url);
    // Only pages on this machine's loopback names: a site the browser visits cannot reach in by DNS rebinding.
    if (!/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(String(req.headers.host ?? ""))) {
      return text(res, 403, "forbidden host");
    }
    const asset = ASSETS[url.pathname];
    if (req.method === "GET" && asset) {
      res.writeHead(200, { "content-type": asset.type, "cache-control": "no-store" });
      res.end(this.assets.get(url.pathname));
      return;
    }
    if (req.method === "GET" && url.pathname === "/") {
      const { workspace } = this.parts;
      const first = workspace.people[0]?.slackId ?? "";
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(
        pageShell({
          people: workspace.people,
          first,
          tz: workspace.directory.tz,
          ...(this.parts.example ? { example: this.parts.example } : {}),
        }),
      );
      return;
    }
    if (req.method === "GET" && url.pathname === "/events")
      return this.stream(req, res, url.searchParams.get("user") ?? "");
    if (req.method === "POST" && url.pathname.startsWith("/api/")) {
      // JSON only: another site's page cannot send it without the browser asking this server first.
      if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) {
        return text(res, 415, "application/json only");
      }
      const raw = await readBody(req);
      if (raw.length > MAX_BODY) return text(res, 413, "too large");
      const body: unknown = JSON.parse(raw || "{}");
      if (!isRecord(body)) return text(res, 400, "expected an object");
      const answer = await this.api(url.pathname.slice("/api/".length), body);
      if (answer === undefined) return text(res, 404, "unknown call");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
      return;
    }
    text(res, 404, "not found");
  }

  private async api(name: string, body: Json): Promise<Json | undefined> {
    const { workspace, interactions, clock, panel } = this.parts;
    const user = str(body.user);
    if (name === "clock") {
      const next = body.skip === "next-expiry" ? panel.expiries().find((at) => at > clock.now()) : undefined;
      const ms = next !== undefined ? next - clock.now() + 1_000 : Number(body.skip);
      if (Number.isFinite(ms) && ms > 0 && ms <= 7 * 24 * 3600_000) clock.advance(ms);
      return { offset: clock.offset, skipped: Number.isFinite(ms) && ms > 0 };
    }
    if (!workspace.person(user)) return { error: "unknown user" };
    switch (name) {
      case "command":
        await interactions.command(user, str(body.channel), str(body.text));
        return { ok: true };
      case "action":
        await interactions.action(user, body as unknown as PageAction);
        return { ok: true };
      case "submit":
        await interactions.submit(user, str(body.viewId), list(body.values) as PageValue[]);
        return { ok: true };
      case "close":
        await interactions.close(user, str(body.viewId), body.how === "back" ? "back" : "clear");
        return { ok: true };
      case "suggest": {
        const ids = { blockId: str(body.blockId), actionId: str(body.actionId) };
        return { options: await interactions.suggest(user, body.source as Source, ids, str(body.query)) };
      }
      case "home":
        await interactions.homeOpened(user, body.tab === "messages" ? "messages" : "home");
        return { ok: true };
      default:
        return undefined;
    }
  }

  /** Server-Sent Events for one viewer: everything they can see now, then each change as it happens. */
  private stream(req: IncomingMessage, res: ServerResponse, user: string): void {
    const { workspace, clock, panel } = this.parts;
    if (!workspace.person(user)) {
      text(res, 404, "unknown user");
      return;
    }
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    const client: Client = { res, user };
    this.clients.add(client);
    req.on("close", () => this.clients.delete(client));
    const names = workspace.directory.userName;
    write(res, "reset", {
      user,
      conversations: workspace.conversationsFor(user),
      items: workspace.itemsFor(user).map((item) => itemDto(item, names, workspace.directory.tz)),
      modal: this.modalOf(user),
      home: workspace.homeFor(user)?.__html ?? null,
      panel: panel.html,
      offset: clock.offset,
    });
  }

  private modalOf(user: string): { viewId: string; html: string } | null {
    const modal = this.parts.workspace.modalFor(user);
    return modal ? { viewId: modal.viewId, html: modal.html.__html } : null;
  }

  private broadcast(change: WorkspaceChange): void {
    const { workspace } = this.parts;
    const names = workspace.directory.userName;
    const everyone = () => true;
    switch (change.kind) {
      case "item":
        this.send(
          (c) => workspace.visibleTo(change.item, c.user),
          "item",
          itemDto(change.item, names, workspace.directory.tz),
        );
        break;
      case "item-removed":
        this.send(everyone, "item-removed", { key: change.item.key });
        break;
      case "modal":
        this.send((c) => c.user === change.user, "modal", { modal: this.modalOf(change.user) });
        break;
      case "home":
        this.send((c) => c.user === change.user, "home", {
          html: workspace.homeFor(change.user)?.__html ?? null,
        });
        break;
      case "conversation":
        this.send(everyone, "conversation", change.conversation);
        break;
    }
  }

  private send(to: (client: Client) => unknown, event: string, data: unknown): void {
    for (const client of this.clients) if (to(client)) write(client.res, event, data);
  }

  /** Passes Slack's requests through to the bot unchanged (headers that carry the signature included). */
  private async forward(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const body = req.method === "POST" ? await readBody(req) : undefined;
    const headers: Record<string, string> = {};
    for (const name of [
      "content-type",
      "x-slack-signature",
      "x-slack-request-timestamp",
      "x-slack-retry-num",
      "x-slack-retry-reason",
    ]) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const answer = await fetch(new URL(url.pathname + url.search, this.parts.botUrl), {
      method: req.method ?? "GET",
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" });
    res.end(await answer.text());
  }
}

function write(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/plain" });
  res.end(body);
}
