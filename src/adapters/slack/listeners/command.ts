import type { Middleware, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { handleCommand } from "../../../app/index.js";
import { requestModal } from "../views/modals.js";
import { commandReply } from "../views/replies.js";
import { quietly, report } from "./report.js";

/** `/aws-access`: ack at once, then run the command and answer ephemerally (or open the form). */
export function commandListener(deps: AppDeps): Middleware<SlackCommandMiddlewareArgs> {
  return async ({ command, ack, respond, client }) => {
    await ack();
    try {
      const result = await handleCommand(deps, command.user_id, command.text);
      if (result.kind === "modal") {
        const view = requestModal(result.prefill, deps.config, { channel: command.channel_id });
        await client.views.open({ trigger_id: command.trigger_id, view });
        return;
      }
      const reply = commandReply(result, deps.config, deps.clock.now());
      await quietly(deps.log, "command", () => respond({ response_type: "ephemeral", ...reply }));
    } catch (error) {
      const text = report(deps.log, "command", error);
      await quietly(deps.log, "command", () => respond({ response_type: "ephemeral", text }));
    }
  };
}
