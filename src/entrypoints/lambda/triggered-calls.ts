import type { FetchFunction } from "@slack/web-api";

type FetchInit = Parameters<FetchFunction>[1];

/** One answer to a Web API call, as the Slack function got it: an HTTP response, or the error the call threw. */
export type RecordedAnswer =
  | { status: number; headers: Record<string, string>; body: string }
  | { error: string };

/** Web API methods that spend a trigger_id: Slack takes each trigger once, within 3 s. */
const SPENDS_TRIGGER = /\/(views\.open|views\.push)$/;

/**
 * The Web API calls a listener makes with a trigger_id (views.open, views.push) before its ack. The Slack function
 * makes them (a trigger lives 3 s) and records each answer; the worker, running the same listener again, is given
 * those answers instead of calling Slack a second time with a spent trigger. Calls without a trigger pass through.
 */
export class TriggeredCalls {
  private readonly answers = new Map<string, RecordedAnswer[]>();

  constructor(private readonly mode: "record" | "replay") {}

  /** The fetch the Web API client uses: records (Slack function) or replays (worker) the triggered calls. */
  fetch(next: FetchFunction = (url, init) => globalThis.fetch(url, init)): FetchFunction {
    return async (url, init) => {
      const trigger = triggerOfCall(url, init);
      if (!trigger) return next(url, init);
      if (this.mode === "replay") {
        const answer = this.answers.get(trigger)?.shift();
        return answer ? replay(answer) : next(url, init);
      }
      let response: Awaited<ReturnType<FetchFunction>>;
      try {
        response = await next(url, init);
      } catch (error) {
        this.add(trigger, { error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      const recorded = {
        status: response.status,
        headers: Object.fromEntries(response.headers.entries()),
        body: await response.text(),
      };
      this.add(trigger, recorded);
      return replay(recorded);
    };
  }

  /** Removes and returns the answers recorded for a trigger. */
  take(trigger: string): RecordedAnswer[] {
    const answers = this.answers.get(trigger) ?? [];
    this.answers.delete(trigger);
    return answers;
  }

  /** The answers the next calls with this trigger get, in order. */
  give(trigger: string, answers: readonly RecordedAnswer[]): void {
    if (answers.length > 0) this.answers.set(trigger, [...answers]);
  }

  private add(trigger: string, answer: RecordedAnswer): void {
    this.answers.set(trigger, [...(this.answers.get(trigger) ?? []), answer]);
  }
}

/** The trigger_id of a request body from Slack, if it carries one (commands, clicks, submissions). */
export function triggerOf(body: Record<string, unknown>): string | undefined {
  return typeof body.trigger_id === "string" && body.trigger_id !== "" ? body.trigger_id : undefined;
}

function triggerOfCall(url: string | URL, init: FetchInit): string | undefined {
  if (!SPENDS_TRIGGER.test(new URL(String(url)).pathname) || typeof init?.body !== "string") return undefined;
  return new URLSearchParams(init.body).get("trigger_id") ?? undefined;
}

function replay(answer: RecordedAnswer): Promise<Response> {
  if ("error" in answer) return Promise.reject(new Error(answer.error));
  return Promise.resolve(new Response(answer.body, { status: answer.status, headers: answer.headers }));
}
