import { type IncomingMessage, request, type ServerResponse } from "node:http";
import { bodyOf, LoopbackServer } from "./loopback.js";

/** What happens to a request a rule matches. */
export type ProxyAction =
  /** Forwarded, so the write happens, but the answer never reaches the client: a lost answer. */
  | "drop-answer"
  /** Held unanswered until the test releases or drops it (a process can be killed meanwhile). */
  | "hang";

export interface ProxyRule {
  /** The DynamoDB operation, e.g. TransactWriteItems. */
  operation: string;
  /** Only requests whose JSON body contains this text. */
  containing?: string;
  action: ProxyAction;
  /** How many matching requests it applies to; one by default. */
  times?: number;
}

/** A request a "hang" rule holds. */
export interface HeldRequest {
  operation: string;
  body: string;
  /** Forwards it now and answers the client. */
  release(): Promise<void>;
  /** Closes the client's connection without forwarding: the write never happens. */
  drop(): void;
}

interface ActiveRule extends ProxyRule {
  left: number;
  onMatch: (held: HeldRequest) => void;
}

/** DynamoDB behind a proxy that can lose answers, hold requests and refuse connections, as networks do. */
export class DynamoProxy extends LoopbackServer {
  private rules: ActiveRule[] = [];
  private down = false;
  /** Operations seen, in order. */
  readonly seen: string[] = [];
  /** Every request is forwarded this many ms late, as a DynamoDB farther away answers (benchmarks). */
  delayMs = 0;

  constructor(private readonly upstream: string) {
    super();
  }

  /** While on, every connection is cut at once: DynamoDB is unreachable. */
  outage(on: boolean): void {
    this.down = on;
  }

  /** Adds a rule; resolves with the first request it matches. */
  when(rule: ProxyRule): Promise<HeldRequest> {
    return new Promise((resolve) => {
      this.rules.push({ ...rule, left: rule.times ?? 1, onMatch: resolve });
    });
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await bodyOf(req);
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    this.seen.push(operation);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const rule = this.rules.find(
      (r) => r.left > 0 && r.operation === operation && (!r.containing || body.includes(r.containing)),
    );
    if (!rule) {
      await this.forward(req, body, res);
      return;
    }
    rule.left--;
    const held: HeldRequest = {
      operation,
      body,
      release: () => this.forward(req, body, res),
      drop: () => req.socket.destroy(),
    };
    if (rule.action === "drop-answer") {
      await this.forward(req, body, undefined);
      req.socket.destroy();
    }
    rule.onMatch(held);
  }

  /** Sends the request on to DynamoDB and, when given a response, answers the client with what came back. */
  private forward(req: IncomingMessage, body: string, res: ServerResponse | undefined): Promise<void> {
    const upstream = new URL(this.upstream);
    return new Promise((resolve, reject) => {
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: "POST",
          path: "/",
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => {
            if (res && !res.destroyed) {
              res.writeHead(answer.statusCode ?? 500, answer.headers);
              res.end(Buffer.concat(chunks));
            }
            resolve();
          });
        },
      );
      out.on("error", reject);
      out.end(body);
    });
  }
}
