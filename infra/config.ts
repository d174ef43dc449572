import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** What the IAM policies are limited to, read from access.yml at synth time. */
export interface DeployConfig {
  instanceArn: string;
  identityStoreId: string;
  accountIds: string[];
  permissionSetArns: string[];
}

const INSTANCE_ARN = /^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
const PERMISSION_SET_ARN =
  /^arn:aws[a-z-]*:sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/;
const IDENTITY_STORE_ID = /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const ACCOUNT_ID = /^\d{12}$/;

/** The config file named on the command line, else access.yml, else the example with a warning. */
export function resolveConfigPath(
  requested: string | undefined,
  warn: (message: string) => void,
  dir = process.cwd(),
): string {
  if (requested) {
    const path = join(dir, requested);
    if (!existsSync(path)) throw new Error(`config file ${requested} (-c configPath) does not exist`);
    return path;
  }
  if (existsSync(join(dir, "access.yml"))) return join(dir, "access.yml");
  if (existsSync(join(dir, "access.example.yml"))) {
    warn("access.yml not found: synthesizing with access.example.yml; pass -c configPath=... to deploy");
    return join(dir, "access.example.yml");
  }
  throw new Error("no access.yml (nor access.example.yml) here: pass -c configPath=path/to/access.yml");
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Reads only what the stack needs; the full schema is checked by the bot itself at start. */
export function readDeployConfig(path: string): DeployConfig {
  const root = asRecord(parse(readFileSync(path, "utf8")));
  const problems: string[] = [];
  const center = asRecord(root.identityCenter);

  const instanceArn = String(center.instanceArn ?? "");
  if (!INSTANCE_ARN.test(instanceArn)) {
    problems.push(
      "identityCenter.instanceArn: required for the AWS deployment (the IAM policy names it), e.g. arn:aws:sso:::instance/ssoins-…",
    );
  }
  const identityStoreId = String(center.identityStoreId ?? "");
  if (!IDENTITY_STORE_ID.test(identityStoreId)) {
    problems.push("identityCenter.identityStoreId: required for the AWS deployment, e.g. d-9067abcdef");
  }
  const managementAccountId =
    center.managementAccountId === undefined ? undefined : String(center.managementAccountId);

  const accountIds = new Set<string>();
  for (const [alias, entry] of Object.entries(asRecord(root.accounts))) {
    const id = String(asRecord(entry).id ?? "");
    if (!ACCOUNT_ID.test(id)) problems.push(`accounts.${alias}.id: must be a 12-digit account id (quote it)`);
    else if (id !== managementAccountId) accountIds.add(id);
  }
  if (accountIds.size === 0)
    problems.push("accounts: name at least one account other than the management account");

  const permissionSetArns = new Set<string>();
  for (const [name, arn] of Object.entries(asRecord(root.permissionSets))) {
    if (typeof arn !== "string" || !PERMISSION_SET_ARN.test(arn)) {
      problems.push(
        `permissionSets.${name}: must be a permission set ARN, arn:aws:sso:::permissionSet/ssoins-…/ps-…`,
      );
    } else {
      permissionSetArns.add(arn);
    }
  }
  if (permissionSetArns.size === 0 && problems.length === 0)
    problems.push("permissionSets: name at least one");

  if (problems.length > 0) throw new Error(`${path}:\n  ${problems.join("\n  ")}`);
  return {
    instanceArn,
    identityStoreId,
    accountIds: [...accountIds],
    permissionSetArns: [...permissionSetArns],
  };
}
