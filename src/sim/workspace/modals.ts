import type { FakeSlack, FakeView } from "../slack/fake-slack.js";
import type { FieldErrors } from "./blocks.js";
import { isRecord, type Json } from "./elements.js";

interface ModalEntry {
  viewId: string;
  errors: FieldErrors;
}

/** The top view on someone's screen, with the errors the bot put on its fields. */
export interface OpenModal {
  viewId: string;
  view: Json;
  errors: FieldErrors;
  canGoBack: boolean;
}

/** Each person's stack of modals, as views.open, views.push, views.update and submission answers leave it. */
export class ModalStacks {
  private readonly stacks = new Map<string, ModalEntry[]>();
  private readonly triggers = new Map<string, string>();
  private counter = 0;

  constructor(
    private readonly fake: FakeSlack,
    private readonly changed: (user: string) => void,
  ) {}

  /** A trigger_id for something `user` just did; a modal opened with it opens on their screen. */
  trigger(user: string): string {
    const id = `${Date.now()}.${++this.counter}.sandbox`;
    this.triggers.set(id, user);
    return id;
  }

  /** The view ids in the user's stack, bottom first. */
  stack(user: string): string[] {
    return (this.stacks.get(user) ?? []).map((entry) => entry.viewId);
  }

  top(user: string): OpenModal | undefined {
    const stack = this.stacks.get(user) ?? [];
    const top = stack[stack.length - 1];
    const stored = top ? this.fake.views.get(top.viewId) : undefined;
    if (!top || !stored) return undefined;
    return { viewId: top.viewId, view: stored.view, errors: top.errors, canGoBack: stack.length > 1 };
  }

  /** A view the bot opened, pushed or updated through the Web API. */
  observe(view: FakeView, change: "opened" | "pushed" | "updated"): void {
    const owner = this.ownerOf(view.id) ?? (view.triggerId ? this.triggers.get(view.triggerId) : undefined);
    if (!owner) return;
    const stack = this.stacks.get(owner) ?? [];
    if (change === "opened") stack.splice(0, stack.length, { viewId: view.id, errors: {} });
    else if (change === "pushed") stack.push({ viewId: view.id, errors: {} });
    else {
      const entry = stack.find((e) => e.viewId === view.id);
      if (entry) entry.errors = {};
    }
    this.stacks.set(owner, stack);
    this.changed(owner);
  }

  /** How the bot answered a view_submission: errors on fields, update, push, clear, or close (empty). */
  applySubmissionAnswer(user: string, viewId: string, answer: Json, updatesBefore: number): void {
    const stack = this.stacks.get(user) ?? [];
    const top = stack[stack.length - 1];
    if (!top || top.viewId !== viewId) return;
    const view = isRecord(answer.view) ? answer.view : undefined;
    switch (answer.response_action) {
      case "errors":
        top.errors = isRecord(answer.errors)
          ? Object.fromEntries(Object.entries(answer.errors).map(([k, v]) => [k, String(v)]))
          : {};
        break;
      case "update":
        // A views.update that arrived first is newer than this answer: keep it.
        if (view && (this.fake.views.get(viewId)?.updates ?? 0) === updatesBefore) {
          this.fake.records.putView(view, viewId);
          top.errors = {};
        }
        break;
      case "push":
        if (view) stack.push({ viewId: this.fake.records.putView(view).id, errors: {} });
        break;
      case "clear":
        stack.length = 0;
        break;
      default:
        stack.pop();
    }
    this.stacks.set(user, stack);
    this.changed(user);
  }

  /** The person closed the top view (`back`) or every view (`clear`). */
  close(user: string, how: "back" | "clear"): void {
    const stack = this.stacks.get(user) ?? [];
    if (how === "clear") stack.length = 0;
    else stack.pop();
    this.changed(user);
  }

  private ownerOf(viewId: string): string | undefined {
    for (const [user, stack] of this.stacks) if (stack.some((e) => e.viewId === viewId)) return user;
    return undefined;
  }
}
