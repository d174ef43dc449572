import type { App } from "@slack/bolt";
import type { AppDeps } from "../../app/deps.js";
import { ACTIONS, REQUEST_FIELDS, VIEWS } from "./action-ids.js";
import { admit } from "./listeners/admit.js";
import { approveListener } from "./listeners/approve.js";
import { commandListener } from "./listeners/command.js";
import { denyListener } from "./listeners/deny.js";
import { denySubmitListener } from "./listeners/deny-submit.js";
import { extendListener } from "./listeners/extend.js";
import { extensionApproveListener, extensionDenyListener } from "./listeners/extension-decision.js";
import { homeOpenedListener } from "./listeners/home-opened.js";
import { portalLinkListener } from "./listeners/portal-link.js";
import { requestModalSubmitListener } from "./listeners/request-modal-submit.js";
import { requestOptionsListener } from "./listeners/request-options.js";
import { revokeListener } from "./listeners/revoke.js";
import { revokeNowListener } from "./listeners/revoke-now.js";

/** The slash command the app answers; must match manifest.yml. */
export const SLASH_COMMAND = "/aws-access";

/** Wires every Slack listener to the use cases in `deps`, behind the check that the request is from our team. */
export function register(app: App, deps: AppDeps): void {
  app.use(
    admit(deps, {
      commands: [SLASH_COMMAND],
      actions: Object.values(ACTIONS),
      views: [VIEWS.request, VIEWS.denyReason],
      options: [REQUEST_FIELDS.account.action, REQUEST_FIELDS.permissionSet.action],
    }),
  );
  app.command(SLASH_COMMAND, commandListener(deps));
  app.action(ACTIONS.approve, approveListener(deps));
  app.action(ACTIONS.deny, denyListener(deps));
  app.action(ACTIONS.revokeNow, revokeNowListener(deps));
  app.action(ACTIONS.portalLink, portalLinkListener());
  app.action(ACTIONS.revoke, revokeListener(deps));
  app.action(ACTIONS.extend, extendListener(deps));
  app.action(ACTIONS.approveExtension, extensionApproveListener(deps));
  app.action(ACTIONS.denyExtension, extensionDenyListener(deps));
  app.event("app_home_opened", homeOpenedListener(deps));
  app.options({ action_id: REQUEST_FIELDS.account.action }, requestOptionsListener(deps));
  app.options({ action_id: REQUEST_FIELDS.permissionSet.action }, requestOptionsListener(deps));
  app.view(VIEWS.request, requestModalSubmitListener(deps));
  app.view(VIEWS.denyReason, denySubmitListener(deps));
}
