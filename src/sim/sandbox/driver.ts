import { createInterface, type Interface } from "node:readline";
import { ACTIONS, VIEWS } from "../../adapters/slack/action-ids.js";
import type { GrantStore } from "../../app/ports.js";
import type { AccessConfig } from "../../domain/config.js";
import type { Grant } from "../../domain/grant.js";
import { normaliseGrantId } from "../../domain/ids.js";
import type { IdentityCenterSimulator } from "../identity-center/index.js";
import type { FakeSlack } from "../slack/fake-slack.js";
import { signBody } from "../slack/requests.js";
import type { Activity } from "./activity.js";
import { buttonClick, denySubmission, slashCommand } from "./payloads.js";
import { type Names, renderResponse, renderViewAck } from "./render.js";
import { DEMO_REQUESTER, type SandboxPerson } from "./seed.js";
import { assignmentsTable, grantsTable, HELP, type Lookup, usersTable } from "./tables.js";

/** Everything the driver plays Slack against. */
export interface DriverParts {
  /** The bot's `/slack/events` URL. */
  eventsUrl: string;
  signingSecret: string;
  fake: FakeSlack;
  sim: IdentityCenterSimulator;
  store: GrantStore;
  config: AccessConfig;
  people: SandboxPerson[];
  activity: Activity;
  print(lines: string[]): void;
}

/** After a command, the bot counts as done once nothing has happened for this long. */
const QUIET_MS = 400;
/** Never wait longer than this for the bot to go quiet. */
const SETTLE_MAX_MS = 20_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Plays Slack in a terminal: each line becomes a signed request to the bot, as the current user. */
export class SandboxDriver {
  private current: SandboxPerson;
  private readonly names: Names;
  private readonly watched: Array<{ id: string; user: string; shown: number }> = [];
  private counter = 0;
  private rl: Interface | undefined;
  private lines = 0;

  constructor(private readonly parts: DriverParts) {
    const first = parts.people.find((p) => p.email === DEMO_REQUESTER) ?? parts.people[0];
    if (!first) throw new Error("the sandbox has no users");
    this.current = first;
    this.names = new Map(parts.people.map((p) => [p.slackId, p.name]));
  }

  /** Reads commands until `quit`, the end of input or stop(); each runs until the bot has gone quiet. */
  async run(input: NodeJS.ReadableStream, interactive: boolean): Promise<void> {
    const rl = createInterface({
      input,
      terminal: interactive,
      ...(interactive ? { output: process.stdout } : {}),
    });
    this.rl = rl;
    rl.on("SIGINT", () => rl.close());
    const ticker = setInterval(() => this.drainResponses(), 100);
    try {
      if (interactive) this.prompt(rl);
      for await (const line of rl) {
        this.lines += 1;
        if (!interactive && line.trim()) this.parts.print([`${this.current.name}> ${line.trim()}`]);
        if (await this.execute(line)) break;
        if (interactive) this.prompt(rl);
      }
    } finally {
      clearInterval(ticker);
      rl.close();
      this.rl = undefined;
    }
  }

  /** How many lines run() has read: none means there was no input at all (stdin from /dev/null). */
  get linesRead(): number {
    return this.lines;
  }

  /** Ends run() after the command in progress. */
  stop(): void {
    this.rl?.close();
  }

  /** Runs one line; true when it asks to quit. */
  async execute(line: string): Promise<boolean> {
    const text = line.trim();
    const [word = "", ...rest] = text.split(/\s+/);
    const arg = rest.join(" ");
    try {
      switch (word.toLowerCase()) {
        case "":
          return false;
        case "quit":
        case "exit":
          return true;
        case "help":
          this.parts.print([`You are @${this.current.name}. Commands:`, ...HELP.map((l) => `  ${l}`)]);
          return false;
        case "users":
          this.parts.print(usersTable(this.parts.people, this.current));
          return false;
        case "as":
          this.switchTo(arg);
          return false;
        case "approve":
          await this.click(ACTIONS.approve, "Approve", arg);
          return false;
        case "deny":
          await this.deny(rest[0] ?? "", rest.slice(1).join(" "));
          return false;
        case "revoke-now":
          await this.click(ACTIONS.revokeNow, "Revoke now", arg);
          return false;
        case "grants":
          this.parts.print(grantsTable(await this.openGrants(), Date.now()));
          return false;
        case "assignments":
          this.parts.print(assignmentsTable(this.parts.sim.assignments(), this.lookup()));
          return false;
        case "/aws-access":
          await this.command(arg);
          return false;
        default:
          if (word.startsWith("/"))
            this.parts.print([`unknown command ${word}: the bot answers /aws-access`]);
          else await this.command(text);
          return false;
      }
    } catch (error) {
      this.parts.print([`! ${error instanceof Error ? error.message : String(error)}`]);
      return false;
    }
  }

  private prompt(rl: Interface): void {
    rl.setPrompt(`${this.current.name}> `);
    rl.prompt();
  }

  private switchTo(who: string): void {
    const key = who.replace(/^@/, "").toLowerCase();
    const person = this.parts.people.find(
      (p) => p.name === key || p.email.toLowerCase() === key || p.slackId.toLowerCase() === key,
    );
    if (!person) {
      const known = this.parts.people.map((p) => p.name).join(", ");
      this.parts.print([`no user '${who}' (users: ${known})`]);
      return;
    }
    this.current = person;
    const groups = person.groups.length > 0 ? person.groups.join(", ") : "no groups";
    this.parts.print([`now acting as @${person.name} (${person.slackId}, ${person.email}; ${groups})`]);
  }

  /** `/aws-access <text>` typed in a channel, with a response_url the bot answers on. */
  private async command(text: string): Promise<void> {
    const before = new Set(this.parts.fake.views.keys());
    await this.deliver(slashCommand(this.current, text, this.responseUrl(), this.trigger()));
    await this.settle();
    const form = [...this.parts.fake.views.values()].some(
      (v) => !before.has(v.id) && v.view.callback_id === VIEWS.request,
    );
    if (form)
      this.parts.print(["(the sandbox does not fill in forms: type the request, e.g. prod ReadOnly 1h why)"]);
  }

  /** A button on the grant's approval message (or in the requester's DM, for Revoke now). */
  private async click(actionId: string, label: string, idText: string): Promise<void> {
    const id = normaliseGrantId(idText);
    if (!id) {
      this.parts.print([`which grant? e.g. ${label.toLowerCase().replace(" ", "-")} k7m2x9qa (see: grants)`]);
      return;
    }
    const grant = await this.parts.store.get(id);
    const channel =
      actionId === ACTIONS.revokeNow
        ? `D${this.current.slackId.slice(1)}`
        : (grant?.message?.channel ?? this.parts.config.slack.approvalChannel);
    const click = {
      actionId,
      value: id,
      label,
      channel,
      ...(grant?.message ? { ts: grant.message.ts } : {}),
    };
    this.parts.print([`(@${this.current.name} clicks [${label}] on \`${id}\`)`]);
    await this.deliver(buttonClick(this.current, click, this.responseUrl(), this.trigger()));
    await this.settle();
  }

  /** Deny opens the reason form; the sandbox fills it in and submits it, as the approver would. */
  private async deny(idText: string, reason: string): Promise<void> {
    const before = new Set(this.parts.fake.views.keys());
    await this.click(ACTIONS.deny, "Deny", idText);
    const opened = [...this.parts.fake.views.values()].find(
      (v) => !before.has(v.id) && v.view.callback_id === VIEWS.denyReason,
    );
    if (!opened) return;
    const meta = typeof opened.view.private_metadata === "string" ? opened.view.private_metadata : "";
    this.parts.print([`(@${this.current.name} submits the form${reason ? ` with reason: ${reason}` : ""})`]);
    const answer = await this.deliver(
      denySubmission(this.current, { id: opened.id, privateMetadata: meta }, reason || null, this.trigger()),
    );
    this.parts.print(renderViewAck(answer, this.names));
    await this.settle();
  }

  private async openGrants(): Promise<Grant[]> {
    const grants: Grant[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.parts.store.due(Number.MAX_SAFE_INTEGER, cursor, 100);
      grants.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return grants;
  }

  private lookup(): Lookup {
    const state = this.parts.sim.snapshot();
    const users = new Map(state.users.map((u) => [u.id, u.userName]));
    const groups = new Map(state.groups.map((g) => [g.id, g.displayName]));
    const sets = new Map(state.permissionSets.map((p) => [p.arn, p.name]));
    const aliases = new Map(state.accounts.map((a) => [a.id, a.name ?? a.id]));
    for (const [alias, a] of Object.entries(this.parts.config.accounts)) aliases.set(a.id, alias);
    return {
      principal: (type, id) => (type === "USER" ? users.get(id) : groups.get(id)) ?? id,
      permissionSet: (arn) => sets.get(arn) ?? arn,
      account: (id) => {
        const alias = aliases.get(id);
        return alias ? `${alias} (${id})` : id;
      },
    };
  }

  /** Posts a body to the bot the way Slack does: signed with the app's signing secret. */
  private async deliver(body: string): Promise<string> {
    const request = signBody(this.parts.signingSecret, body);
    const res = await fetch(this.parts.eventsUrl, { method: "POST", headers: request.headers, body });
    const text = await res.text();
    if (!res.ok) this.parts.print([`! the bot answered HTTP ${res.status}: ${text}`]);
    return text;
  }

  /** A fresh response_url on the fake Slack; whatever the bot posts there is shown to the current user. */
  private responseUrl(): string {
    const id = `r${++this.counter}`;
    this.watched.push({ id, user: this.current.slackId, shown: 0 });
    return this.parts.fake.responseUrl(id);
  }

  private trigger(): string {
    return `${Date.now()}.sandbox.${++this.counter}`;
  }

  private drainResponses(): void {
    for (const watch of this.watched) {
      const bodies = this.parts.fake.responsesTo(watch.id);
      while (watch.shown < bodies.length) {
        const body = bodies[watch.shown++];
        if (body) this.parts.print(renderResponse(body, watch.user, this.names));
        this.parts.activity.tick();
      }
    }
  }

  /** Waits until the bot has been idle for a moment: no port call pending, no Slack call, no reply. */
  private async settle(): Promise<void> {
    const { activity } = this.parts;
    const deadline = Date.now() + SETTLE_MAX_MS;
    let seen = activity.count;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      await sleep(50);
      this.drainResponses();
      if (activity.busy || activity.count !== seen) {
        seen = activity.count;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= QUIET_MS) {
        return;
      }
    }
  }
}
