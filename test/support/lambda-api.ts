import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyOf, LoopbackServer } from "./loopback.js";

/** One Invoke call the fake accepted. */
export interface Invocation {
  functionName: string;
  /** X-Amz-Invocation-Type: Event (asynchronous) or RequestResponse. */
  type: string;
  payload: unknown;
}

/** A stand-in for Lambda's Invoke API (REST JSON) that accepts invocations and hands each to `onInvoke`. */
export class FakeLambdaApi extends LoopbackServer {
  readonly invocations: Invocation[] = [];
  /** How many of the next calls answer 500 ServiceException (the SDK retries those). */
  failNext = 0;
  /** Every call is answered this many ms late. */
  delayMs = 0;

  constructor(private readonly onInvoke: (invocation: Invocation) => void = () => {}) {
    super();
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await bodyOf(req);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
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
    const invocation = { functionName: decodeURIComponent(name), type, payload: JSON.parse(text || "{}") };
    this.invocations.push(invocation);
    this.onInvoke(invocation);
    res.writeHead(type === "Event" ? 202 : 200, { "content-type": "application/json" }).end();
  }
}
