import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { IdentityCenterSimulator } from "./simulator.js";
import type { SimFaults, SimSeed } from "./types.js";

export interface SimServer {
  /** Base URL for the SDK clients' `endpoint` (or AWS_ENDPOINT_URL_SSO_ADMIN / _IDENTITYSTORE). */
  endpoint: string;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The /_sim/ admin API, so other processes (sandbox, benchmarks) can seed and drive the simulator. */
function admin(sim: IdentityCenterSimulator, route: string, text: string): { status: number; body: unknown } {
  const json = () => (text.trim() === "" ? {} : JSON.parse(text));
  switch (route) {
    case "GET /_sim/state":
      return { status: 200, body: sim.snapshot() };
    case "POST /_sim/seed":
      sim.seed(json() as SimSeed);
      return { status: 200, body: sim.snapshot() };
    case "POST /_sim/faults":
      return { status: 200, body: sim.setFaults(json() as Partial<SimFaults>) };
    case "GET /_sim/calls":
      return { status: 200, body: { calls: sim.calls(), stats: sim.stats() } };
    case "GET /_sim/stats":
      return { status: 200, body: sim.stats() };
    case "POST /_sim/calls/clear":
      sim.clearCalls();
      return { status: 200, body: {} };
    case "POST /_sim/reset":
      sim.reset();
      return { status: 200, body: {} };
    default:
      return { status: 404, body: { message: `no route ${route}` } };
  }
}

async function answer(
  sim: IdentityCenterSimulator,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const text = await readBody(req);
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (path.startsWith("/_sim/")) {
    try {
      const { status, body } = admin(sim, `${req.method ?? "GET"} ${path}`, text);
      send(res, status, body);
    } catch (error) {
      send(res, 400, { message: String(error) });
    }
    return;
  }
  const requestId = randomUUID();
  const jsonHeaders = { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId };
  const target = req.headers["x-amz-target"];
  let input: unknown;
  try {
    input = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    send(res, 400, { __type: "SerializationException", Message: "body is not JSON" }, jsonHeaders);
    return;
  }
  if (req.method !== "POST" || typeof target !== "string") {
    const body = { __type: "UnknownOperationException", Message: "expected POST with X-Amz-Target" };
    send(res, 400, body, { ...jsonHeaders, "x-amzn-errortype": "UnknownOperationException" });
    return;
  }
  const reply = sim.handle(target, input);
  // A hung call: handled, never answered; the client's own timeout (or close()) ends it.
  if (reply.delay === "never") return;
  if (reply.delay !== undefined) await new Promise((resolve) => setTimeout(resolve, reply.delay as number));
  if (res.destroyed) return;
  send(res, reply.status, reply.body, { ...jsonHeaders, ...reply.headers });
}

/** Serves the simulator over HTTP on 127.0.0.1; signatures are not checked. */
export function serve(sim: IdentityCenterSimulator, port: number): Promise<SimServer> {
  const server = createServer((req, res) => {
    answer(sim, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { __type: "InternalServerException", Message: String(error) });
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        endpoint: `http://127.0.0.1:${bound}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
