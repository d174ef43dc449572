import { randomUUID } from "node:crypto";
import type { AccessConfig, Principals, Rule } from "../../domain/config.js";
import { formatDuration } from "../../domain/duration.js";
import { DEFAULT_INSTANCE, type SimAssignment, type SimSeed } from "../identity-center/index.js";

/** One sandbox person: an Identity Center user and the Slack user with the same email. */
export interface SandboxPerson {
  /** Short name, also the Identity Center user name and the Slack display name. */
  name: string;
  email: string;
  slackId: string;
  groups: string[];
}

/** What the local stand-ins are seeded with, derived from the config. */
export interface SandboxWorld {
  seed: SimSeed;
  people: SandboxPerson[];
  /** Human-readable lines about the permanent baseline, for the banner. */
  baseline: string[];
}

/** The demo requester every sandbox has; it joins every requester group. */
export const DEMO_REQUESTER = "dev@example.com";
/** The first approver group gets this user first, so "as admin" works in any config. */
export const DEMO_APPROVER = "admin@example.com";
/** The Slack time zone of every sandbox user, so DMs show local times. */
export const SANDBOX_TZ = "Europe/London";

const BASELINE_GROUP = "Organization Administrators";
const BASELINE_SET = "AdministratorAccess";
const DEMO_NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"];

function unique(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = value.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function principalsOf(rules: Rule[], side: "requesters" | "approvers"): Principals {
  const all = rules.map((rule) => rule[side]).filter((p): p is Principals => p !== undefined);
  return { groups: unique(all.flatMap((p) => p.groups)), emails: unique(all.flatMap((p) => p.emails)) };
}

/** A Slack user id such as U0DEV from a short name; unique among `taken`. */
export function slackIdFor(name: string, taken: ReadonlySet<string>): string {
  const base = `U0${name.toUpperCase().replace(/[^A-Z0-9]/g, "") || "USER"}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}${n}`;
  return id;
}

/** Identity Center users, groups, permission sets, accounts and the baseline, all taken from the config. */
export function sandboxWorld(config: AccessConfig): SandboxWorld {
  const requesters = principalsOf(config.rules, "requesters");
  const approvers = principalsOf(config.rules, "approvers");
  const groups = unique([...approvers.groups, ...requesters.groups]);
  const people = new Map<string, SandboxPerson>();
  const taken = new Set<string>();
  const add = (email: string, group?: string): void => {
    const key = email.toLowerCase();
    let person = people.get(key);
    if (!person) {
      const name = (email.split("@")[0] ?? email).toLowerCase();
      person = { name, email, slackId: slackIdFor(name, taken), groups: [] };
      taken.add(person.slackId);
      people.set(key, person);
    }
    if (group && !person.groups.includes(group)) person.groups.push(group);
  };
  add(DEMO_REQUESTER);
  for (const group of requesters.groups) add(DEMO_REQUESTER, group);
  const names = [...DEMO_NAMES];
  for (const group of groups) {
    const isApproverGroup = approvers.groups.includes(group) && !people.has(DEMO_APPROVER);
    const members = isApproverGroup ? ["admin", names.shift()] : [names.shift(), names.shift()];
    for (const [i, name] of members.entries()) add(`${name ?? `${slug(group)}${i + 1}`}@example.com`, group);
  }
  for (const email of [...approvers.emails, ...requesters.emails]) add(email);

  const groupIds = new Map(groups.map((group) => [group, randomUUID()]));
  const accounts = Object.entries(config.accounts).map(([alias, account]) => ({
    id: account.id,
    name: account.name ?? alias,
  }));
  const management = config.identityCenter.managementAccountId;
  if (management && !accounts.some((account) => account.id === management)) {
    accounts.push({ id: management, name: "Management" });
  }
  const { assignments, baseline } = baselineOf(config, groupIds, accounts);
  const seed: SimSeed = {
    instance: {
      instanceArn: config.identityCenter.instanceArn ?? DEFAULT_INSTANCE.instanceArn,
      identityStoreId: config.identityCenter.identityStoreId ?? DEFAULT_INSTANCE.identityStoreId,
    },
    accounts,
    permissionSets: Object.entries(config.permissionSets).map(([name, arn]) => ({ name, arn })),
    users: [...people.values()].map((p) => ({ userName: p.name, emails: [p.email], displayName: p.name })),
    groups: groups.map((group) => ({
      id: groupIds.get(group) ?? group,
      displayName: group,
      members: [...people.values()].filter((p) => p.groups.includes(group)).map((p) => p.name),
    })),
    assignments,
  };
  return { seed, people: [...people.values()], baseline };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

/** Organization Administrators hold AdministratorAccess on every account, as in a typical organisation. */
function baselineOf(
  config: AccessConfig,
  groupIds: Map<string, string>,
  accounts: Array<{ id: string }>,
): { assignments: SimAssignment[]; baseline: string[] } {
  const groupId = groupIds.get(BASELINE_GROUP);
  const arn = config.permissionSets[BASELINE_SET];
  if (!groupId || !arn) return { assignments: [], baseline: [] };
  return {
    assignments: accounts.map((account) => ({
      accountId: account.id,
      permissionSetArn: arn,
      principalType: "GROUP",
      principalId: groupId,
    })),
    baseline: [`group ${BASELINE_GROUP} holds ${BASELINE_SET} on every account (never touched by the bot)`],
  };
}

/** A request that goes to approvers in this config, and who may make it; undefined when none does. */
export function exampleRequest(
  config: AccessConfig,
  people: SandboxPerson[],
): { person: SandboxPerson; text: string } | undefined {
  const management = config.identityCenter.managementAccountId;
  for (const rule of config.rules) {
    if (rule.autoApprove) continue;
    const alias = Object.keys(config.accounts).find(
      (a) =>
        config.accounts[a]?.id !== management &&
        (rule.accounts.includes("*") || rule.accounts.some((x) => x.toLowerCase() === a.toLowerCase())),
    );
    const sets = rule.permissionSets.includes("*") ? Object.keys(config.permissionSets) : rule.permissionSets;
    const set = sets.find((name) => /read/i.test(name)) ?? sets[0];
    const person = people.find((p) => mayRequest(rule, p));
    if (!alias || !set || !person) continue;
    const duration = formatDuration(Math.min(3600, rule.maxDurationSeconds));
    return { person, text: `${alias} ${set} ${duration} checking a deploy` };
  }
  return undefined;
}

function mayRequest(rule: Rule, person: SandboxPerson): boolean {
  if (!rule.requesters) return person.email === DEMO_REQUESTER;
  const emails = rule.requesters.emails.map((e) => e.toLowerCase());
  return (
    emails.includes(person.email.toLowerCase()) ||
    rule.requesters.groups.some((g) => person.groups.includes(g))
  );
}
