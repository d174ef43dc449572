import { parseCommand } from "../domain/grammar.js";
import type { AppDeps } from "./deps.js";
import { extendGrant } from "./extend.js";
import { listGrants, offersForActor } from "./list.js";
import { refuseAsAsked } from "./refusals.js";
import { requestAccess } from "./request.js";
import type { CommandResult } from "./results.js";
import { revokeGrant } from "./revoke.js";

/** Everything `/aws-access <text>` can do: parse, record refusals, dispatch to the use case. */
export async function handleCommand(
  deps: AppDeps,
  actorSlackId: string,
  text: string,
): Promise<CommandResult> {
  const parsed = parseCommand(text, {
    accounts: Object.keys(deps.config.accounts),
    permissionSets: Object.keys(deps.config.permissionSets),
  });
  if (!parsed.ok)
    return refuseAsAsked(deps, actorSlackId, parsed.error, undefined, { input: text.slice(0, 200) });
  const command = parsed.command;
  switch (command.kind) {
    case "request":
      return { kind: "requested", grant: await requestAccess(deps, actorSlackId, command) };
    case "list":
      return { kind: "list", grants: await listGrants(deps, actorSlackId) };
    case "revoke":
      return { kind: "revoked", grant: await revokeGrant(deps, actorSlackId, command.grantId) };
    case "extend":
      return {
        kind: "extended",
        grant: await extendGrant(deps, actorSlackId, command.grantId, command.durationSeconds),
      };
    case "help":
      return { kind: "help", offers: await offersForActor(deps, actorSlackId) };
    case "modal": {
      const { kind: _kind, ...prefill } = command;
      return { kind: "modal", prefill };
    }
  }
}
