import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyOf, LoopbackServer } from "./loopback.js";

/** One HTTP request the fake received. */
export interface RecordedSchedulerRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  at: number;
}

/** A small stand-in for the EventBridge Scheduler REST-JSON API: schedules by group and name, AWS error shapes. */
export class FakeSchedulerApi extends LoopbackServer {
  readonly requests: RecordedSchedulerRequest[] = [];
  readonly schedules = new Map<string, Record<string, unknown>>();
  /** Names for which every call answers ValidationException. */
  readonly rejected = new Set<string>();

  /** Requests of one kind: POST creates, PUT updates, DELETE deletes. */
  requestsOf(method: "POST" | "PUT" | "DELETE", name?: string): RecordedSchedulerRequest[] {
    return this.requests.filter(
      (r) => r.method === method && (name === undefined || r.path === `/schedules/${name}`),
    );
  }

  /** Fires a one-time schedule as Scheduler would: removes it (ActionAfterCompletion DELETE) and returns its target input. */
  fire(group: string, name: string): unknown {
    const key = `${group}/${name}`;
    const schedule = this.schedules.get(key);
    if (!schedule) throw new Error(`no schedule ${key}`);
    if (schedule.ActionAfterCompletion === "DELETE") this.schedules.delete(key);
    const target = schedule.Target as { Input?: string } | undefined;
    return JSON.parse(target?.Input ?? "null");
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await bodyOf(req);
    const url = new URL(req.url ?? "/", "http://fake");
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    this.requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: url.searchParams,
      body,
      at: Date.now(),
    });
    const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    if (!match?.[1]) return this.fail(res, 404, "ResourceNotFoundException", "no such route");
    const name = decodeURIComponent(match[1]);
    const group = String(body.GroupName ?? url.searchParams.get("groupName") ?? "default");
    const key = `${group}/${name}`;
    if (this.rejected.has(name)) return this.fail(res, 400, "ValidationException", "rejected");
    switch (req.method) {
      case "POST":
        if (this.schedules.has(key)) return this.fail(res, 409, "ConflictException", "exists");
        this.schedules.set(key, body);
        return this.ok(res, { ScheduleArn: `arn:aws:scheduler:us-east-1:123456789012:schedule/${key}` });
      case "PUT":
        if (!this.schedules.has(key)) return this.fail(res, 404, "ResourceNotFoundException", "missing");
        this.schedules.set(key, body);
        return this.ok(res, { ScheduleArn: `arn:aws:scheduler:us-east-1:123456789012:schedule/${key}` });
      case "DELETE":
        if (!this.schedules.delete(key)) return this.fail(res, 404, "ResourceNotFoundException", "missing");
        return this.ok(res, {});
      default:
        return this.fail(res, 405, "ValidationException", "method");
    }
  }

  private ok(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  private fail(res: ServerResponse, status: number, type: string, message: string): void {
    res
      .writeHead(status, { "content-type": "application/json", "x-amzn-errortype": type })
      .end(JSON.stringify({ Message: message }));
  }
}
