import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/** What the app sends back for an envelope: its id and the payload the listener acked with. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/** The envelope types the bot receives: slash commands and interactivity (buttons, modal submissions). */
export type EnvelopeType = "slash_commands" | "interactive";

/**
 * Slack's side of a Socket Mode connection on loopback: greets a client with `hello`, delivers payloads in
 * envelopes and collects the acknowledgements the client sends back.
 */
export class FakeSocketMode {
  readonly acks: SocketAck[] = [];
  /** Every message the client sent, parsed. */
  readonly received: unknown[] = [];
  private server: WebSocketServer | undefined;
  private socket: WebSocket | undefined;
  private readonly waiting = new Map<string, (ack: SocketAck) => void>();
  private connected: (() => void) | undefined;
  readonly connection = new Promise<void>((resolve) => {
    this.connected = resolve;
  });

  /** Listens on 127.0.0.1; resolves to the ws:// URL apps.connections.open should hand out. */
  async start(): Promise<string> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    this.server = server;
    server.on("connection", (socket) => this.accept(socket));
    return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link/?ticket=${randomBytes(8).toString("hex")}`;
  }

  /** Sends one envelope; resolves with its id and the first message the client sent back naming that id. */
  deliver(
    type: EnvelopeType,
    payload: object,
    acceptsResponsePayload: boolean,
  ): Promise<{ envelopeId: string; ack: SocketAck }> {
    const socket = this.socket;
    if (!socket) throw new Error("no Socket Mode client is connected");
    const envelopeId = `${randomBytes(4).toString("hex")}-${randomBytes(2).toString("hex")}`;
    const acked = new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`envelope ${envelopeId} was not acknowledged`)),
        10_000,
      );
      this.waiting.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: acceptsResponsePayload,
        retry_attempt: 0,
        retry_reason: "",
      }),
    );
    return acked.then((ack) => ({ envelopeId, ack }));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.socket = socket;
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as SocketAck;
      this.received.push(message);
      if (typeof message.envelope_id === "string") {
        this.acks.push(message);
        this.waiting.get(message.envelope_id)?.(message);
        this.waiting.delete(message.envelope_id);
      }
    });
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        connection_info: { app_id: "A0ACCESS" },
        debug_info: { host: "local", approximate_connection_time: 3600 },
      }),
    );
    this.connected?.();
  }
}
