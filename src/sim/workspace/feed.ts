import type { GrantStore } from "../../app/ports.js";
import type { AccessConfig } from "../../domain/config.js";
import type { Grant } from "../../domain/grant.js";
import type { IdentityCenterSimulator } from "../identity-center/index.js";
import { assignmentKey, renderPanel } from "./panel.js";

/** A store that reports the id of every grant it writes, so the panel knows which grants to read. */
export function reportingGrants(store: GrantStore, seen: (grantId: string) => void): GrantStore {
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      if (!["create", "save", "createRequest", "saveAll"].includes(String(key))) return value.bind(target);
      return async (...args: unknown[]) => {
        const result: unknown = await value.apply(target, args);
        const first = args[0] as { id?: unknown; grant?: { id?: unknown } } | undefined;
        // A request of several parts and a decision on it write several grants at once.
        const several = (key === "createRequest" ? args[1] : key === "saveAll" ? args[0] : []) as Array<{
          grant?: { id?: unknown };
        }>;
        const ids = [
          key === "create" ? first?.id : first?.grant?.id,
          ...several.map((item) => item.grant?.id),
        ];
        for (const id of ids) if (typeof id === "string") seen(id);
        return result;
      };
    },
  });
}

/** The Identity Center panel, rebuilt from the simulator and the store whenever the bot has done something. */
export class PanelFeed {
  private readonly known = new Set<string>();
  private readonly baseline: ReadonlySet<string>;
  private readonly listeners = new Set<(html: string) => void>();
  private last = "";
  private scheduled: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private grants: Grant[] = [];

  constructor(
    private readonly parts: {
      sim: IdentityCenterSimulator;
      store: GrantStore;
      config: AccessConfig;
      person(slackId: string): string;
      /** "14:05" in the workspace's zone. */
      time(ms: number): string;
    },
  ) {
    this.baseline = new Set(parts.sim.assignments().map(assignmentKey));
  }

  /** A grant id the store has written. */
  saw(grantId: string): void {
    this.known.add(grantId);
  }

  onChange(listener: (html: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The panel as last rendered. */
  get html(): string {
    return this.last;
  }

  /** Active grants' expiry times, earliest first. */
  expiries(): number[] {
    return this.grants
      .filter((g) => g.status === "active")
      .map((g) => (g as unknown as { expiresAt?: unknown }).expiresAt)
      .filter((at): at is number => typeof at === "number")
      .sort((a, b) => a - b);
  }

  /** Something happened: rebuild soon, coalescing bursts into one rebuild. */
  poke(): void {
    if (this.scheduled) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      void this.refresh();
    }, 50);
    this.scheduled.unref();
  }

  /** Rebuilds now (one rebuild at a time; a request during one runs another after it). */
  async refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.rebuild().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.running;
  }

  stop(): void {
    if (this.scheduled) clearTimeout(this.scheduled);
    this.scheduled = undefined;
    this.listeners.clear();
  }

  private async rebuild(): Promise<void> {
    const { sim, store, config } = this.parts;
    // Open grants from the due index too, so a grant written by a path the proxy does not see still shows.
    const open = await store.due(Number.MAX_SAFE_INTEGER, undefined, 100).catch(() => ({ items: [] }));
    for (const grant of open.items) this.known.add(grant.id);
    const read = await Promise.all([...this.known].map((id) => store.get(id).catch(() => undefined)));
    this.grants = read.filter((g): g is Grant => g !== undefined);
    const state = sim.snapshot();
    const users = new Map(state.users.map((u) => [u.id, u.userName]));
    const groups = new Map(state.groups.map((g) => [g.id, g.displayName]));
    const sets = new Map(state.permissionSets.map((p) => [p.arn, p.name]));
    const aliases = new Map(Object.entries(config.accounts).map(([alias, a]) => [a.id, alias]));
    const management = config.identityCenter.managementAccountId;
    const accounts = state.accounts.map((a) => {
      const alias = aliases.get(a.id);
      const names = [...new Set([a.name, alias].filter((n): n is string => Boolean(n)))];
      const role = a.id === management ? " (management account: the bot refuses it)" : "";
      return { id: a.id, label: `${[...names, a.id].join(" · ")}${role}` };
    });
    const html = renderPanel({
      accounts,
      assignments: state.assignments,
      operations: state.operations.filter((op) => op.status === "IN_PROGRESS"),
      principal: (type, id) => (type === "USER" ? users.get(id) : groups.get(id)) ?? id,
      permissionSet: (arn) => sets.get(arn) ?? arn,
      baseline: this.baseline,
      grants: this.grants,
      person: this.parts.person,
      time: this.parts.time,
    }).__html;
    if (html === this.last) return;
    this.last = html;
    for (const listener of this.listeners) listener(html);
  }
}
