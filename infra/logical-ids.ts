import { createHash } from "node:crypto";
import type { CfnElement, Stack } from "aws-cdk-lib";
import { Construct } from "constructs";

/**
 * Groups resources without adding a level to their logical ids. The stack was deployed before it was split into
 * constructs, and a resource whose logical id changes is replaced: an empty table, a Function URL Slack does not
 * know, a function or log group whose fixed name the old one still holds.
 */
export class FlatConstruct extends Construct {}

/** The logical id CDK gives an element, computed as if no FlatConstruct were in its path. */
export function flatLogicalId(stack: Stack, element: CfnElement): string {
  const scopes = element.node.scopes;
  const path = scopes
    .slice(scopes.indexOf(stack) + 1)
    .filter((scope) => !(scope instanceof FlatConstruct))
    .map((scope) => scope.node.id);
  return uniqueId(path);
}

const alphanumeric = (id: string): string => id.replace(/[^A-Za-z0-9]/g, "");

/** CDK's own scheme (core/lib/private/uniqueid.ts, not exported): readable path plus an 8-digit hash of it. */
function uniqueId(components: string[]): string {
  const path = components.filter((id) => id !== "Default");
  const [only] = path;
  if (path.length === 1 && only !== undefined && alphanumeric(only).length <= 255) return alphanumeric(only);
  const hash = createHash("md5").update(path.join("/")).digest("hex").slice(0, 8).toUpperCase();
  const human: string[] = [];
  for (const id of path) if (!human.at(-1)?.endsWith(id)) human.push(id);
  const readable = human
    .filter((id) => id !== "Resource")
    .map(alphanumeric)
    .join("")
    .slice(0, 240);
  return readable + hash;
}
