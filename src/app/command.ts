import type { AccessConfig } from "../domain/config.js";
import { parseCommand, type Vocabulary } from "../domain/grammar.js";
import { isRequestId } from "../domain/ids.js";
import type { AppDeps } from "./deps.js";
import { extendGrant, extendRequest } from "./extend.js";
import { listGrants, offersForActor } from "./list.js";
import { refuseAsAsked } from "./refusals.js";
import { submitRequest } from "./request.js";
import type { CommandResult } from "./results.js";
import { revokeGrant, revokeRequest } from "./revoke.js";

/** The names the command grammar knows, from the config. */
export function vocabularyOf(config: AccessConfig): Vocabulary {
  return { accounts: Object.keys(config.accounts), permissionSets: Object.keys(config.permissionSets) };
}

/** Everything `/aws-access <text>` can do: parse, record refusals, dispatch to the use case. */
export async function handleCommand(
  deps: AppDeps,
  actorSlackId: string,
  text: string,
): Promise<CommandResult> {
  const parsed = parseCommand(text, vocabularyOf(deps.config));
  if (!parsed.ok)
    return refuseAsAsked(deps, actorSlackId, parsed.error, undefined, { input: text.slice(0, 200) });
  const command = parsed.command;
  switch (command.kind) {
    case "request": {
      const { accounts, permissionSets, ...rest } = command;
      const ask = { ...rest, account: accounts, permissionSet: permissionSets };
      return { kind: "requested", ...(await submitRequest(deps, actorSlackId, ask)) };
    }
    case "list":
      return { kind: "list", grants: await listGrants(deps, actorSlackId) };
    case "revoke": {
      const id = command.grantId;
      if (!isRequestId(id)) return { kind: "revoked", grant: await revokeGrant(deps, actorSlackId, id) };
      return { kind: "revoked-request", requestId: id, grants: await revokeRequest(deps, actorSlackId, id) };
    }
    case "extend": {
      const { grantId: id, durationSeconds } = command;
      if (!isRequestId(id)) {
        return { kind: "extended", grant: await extendGrant(deps, actorSlackId, id, durationSeconds) };
      }
      const grants = await extendRequest(deps, actorSlackId, id, durationSeconds);
      return { kind: "extended-request", requestId: id, grants };
    }
    case "help":
      return { kind: "help", offers: await offersForActor(deps, actorSlackId) };
    case "modal": {
      const { kind: _kind, ...prefill } = command;
      return { kind: "modal", prefill };
    }
  }
}
