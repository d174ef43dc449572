import type { IncomingMessage, ServerResponse } from "node:http";

/** What the fake answers: an HTTP status, a JSON body, extra headers. */
export type Answer = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

const JSON_FIELDS = new Set(["blocks", "attachments", "view", "metadata", "payload"]);

/** Writes an answer as JSON. */
export function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { "content-type": "application/json", ...(answer.headers ?? {}) });
  res.end(JSON.stringify(answer.body));
}

/** The whole request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Slack accepts form-encoded arguments (objects as JSON strings) or a JSON body. */
export function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (raw.length === 0) return {};
  if (contentType.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = JSON_FIELDS.has(key) ? tryJson(value) : value;
  }
  return args;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
