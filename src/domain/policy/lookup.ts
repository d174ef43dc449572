import type { AccessConfig, Principals, Rule } from "../config.js";
import type { Actor } from "./types.js";

/** Names, aliases, groups and emails all compare case-insensitively. */
export const lower = (text: string) => text.toLowerCase();
/** Names in messages are shown in backticks. */
export const backticked = (text: string) => `\`${text}\``;
/** Several names, each in backticks. */
export const backtickedAll = (texts: readonly string[]) => texts.map(backticked).join(", ");

/** `1 approval`, `2 approvals`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Finds an account by alias (case-insensitive) or by its 12-digit id. */
export function resolveAccount(
  config: AccessConfig,
  aliasOrId: string,
): { alias: string; id: string; name?: string } | undefined {
  const wanted = aliasOrId.trim();
  const entries = Object.entries(config.accounts);
  const found =
    entries.find(([alias]) => lower(alias) === lower(wanted)) ??
    (/^\d{12}$/.test(wanted) ? entries.find(([, account]) => account.id === wanted) : undefined);
  if (!found) return undefined;
  const [alias, { id, name }] = found;
  return name === undefined ? { alias, id } : { alias, id, name };
}

/** Finds a permission set by name, case-insensitively; the name comes back as written in the config. */
export function resolvePermissionSet(
  config: AccessConfig,
  name: string,
): { name: string; arn: string } | undefined {
  const wanted = lower(name.trim());
  const found = Object.entries(config.permissionSets).find(([setName]) => lower(setName) === wanted);
  return found ? { name: found[0], arn: found[1] } : undefined;
}

/** Finds a rule by name (grants keep the name of the rule that decided them). */
export function findRule(config: AccessConfig, name: string): Rule | undefined {
  return (
    config.rules.find((rule) => rule.name === name) ??
    config.rules.find((rule) => lower(rule.name) === lower(name))
  );
}

/** Where a rule's approval requests are posted. */
export function channelFor(config: AccessConfig, rule: Rule): string {
  return rule.channel ?? config.slack.approvalChannel;
}

/** Every group named in requesters or approvers, first spelling kept, so callers can resolve them once. */
export function groupNamesIn(config: AccessConfig): string[] {
  const names = new Map<string, string>();
  for (const rule of config.rules) {
    for (const group of [...(rule.requesters?.groups ?? []), ...(rule.approvers?.groups ?? [])]) {
      if (!names.has(lower(group))) names.set(lower(group), group);
    }
  }
  return [...names.values()];
}

/** Whether a person is one of the principals (group or email, case-insensitive). */
export function isIn(
  principals: Principals | undefined,
  person: { email: string; groups?: readonly string[] },
): boolean {
  if (!principals) return false;
  const groups = new Set((person.groups ?? []).map(lower));
  const email = lower(person.email);
  return (
    principals.groups.some((group) => groups.has(lower(group))) ||
    (email !== "" && principals.emails.some((listed) => lower(listed) === email))
  );
}

/** Omitted requesters let anyone in. */
export function isEligible(rule: Rule, requester: Actor): boolean {
  return rule.requesters === undefined || isIn(rule.requesters, requester);
}

/** Whether the rule names the account and permission set, by alias, name or "*". */
export function covers(
  config: AccessConfig,
  rule: Rule,
  accountId: string,
  permissionSetArn: string,
): boolean {
  const account = rule.accounts.some(
    (alias) => alias === "*" || resolveAccount(config, alias)?.id === accountId,
  );
  const permissionSet = rule.permissionSets.some(
    (name) => name === "*" || resolvePermissionSet(config, name)?.arn === permissionSetArn,
  );
  return account && permissionSet;
}

/** Matched by id, so an alias for the management account is caught too. */
export function isManagement(config: AccessConfig, accountId: string): boolean {
  return config.identityCenter.managementAccountId === accountId;
}

/** `members of `A` or `b@example.com``: who a set of principals lets in. */
export function describePrincipals(principals: Principals | undefined): string {
  const names = [...(principals?.groups ?? []), ...(principals?.emails ?? [])];
  if (names.length === 0) return "nobody";
  return `${principals?.groups.length ? "members of " : ""}${names.map(backticked).join(" or ")}`;
}
