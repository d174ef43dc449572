import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One Invoke call the fake accepted. */
export interface Invocation {
  functionName: string;
  /** X-Amz-Invocation-Type: Event (asynchronous) or RequestResponse. */
  type: string;
  payload: unknown;
}

/** A stand-in for Lambda's Invoke API (REST JSON) that accepts invocations and hands each to `onInvoke`. */
export class FakeLambdaApi {
  readonly invocations: Invocation[] = [];
  /** How many of the next calls answer 500 ServiceException (the SDK retries those). */
  failNext = 0;
  /** Every call is answered this many ms late. */
  delayMs = 0;
  private server?: Server;

  constructor(private readonly onInvoke: (invocation: Invocation) => void = () => {}) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        setTimeout(() => {
          const name = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url ?? "")?.[1];
          if (this.failNext > 0 || !name) {
            if (name) this.failNext--;
            res
              .writeHead(name ? 500 : 404, {
                "content-type": "application/json",
                "x-amzn-errortype": name ? "ServiceException" : "ResourceNotFoundException",
              })
              .end(JSON.stringify({ message: name ? "Lambda is failing on purpose" : "no such function" }));
            return;
          }
          const type = String(req.headers["x-amz-invocation-type"] ?? "RequestResponse");
          const text = Buffer.concat(chunks).toString("utf8");
          const invocation = {
            functionName: decodeURIComponent(name),
            type,
            payload: JSON.parse(text || "{}"),
          };
          this.invocations.push(invocation);
          this.onInvoke(invocation);
          res.writeHead(type === "Event" ? 202 : 200, { "content-type": "application/json" }).end();
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
