import type { Middleware, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { handleCommand, requesterOffers, vocabularyOf } from "../../../app/index.js";
import { parseCommand } from "../../../domain/grammar.js";
import type { ModalView } from "../views/blocks.js";
import { loadingModal, requestModal, resultModal } from "../views/modals.js";
import { commandReply } from "../views/replies.js";
import { quietly, report } from "./report.js";

/**
 * `/aws-access`: the form opens at once (a loading view, while the trigger_id is fresh) and is filled after ack
 * with what the requester may ask for, or with why it cannot be; every other command is acked, then run and answered
 * ephemerally.
 */
export function commandListener(deps: AppDeps): Middleware<SlackCommandMiddlewareArgs> {
  return async ({ command, ack, respond, client }) => {
    const parsed = parseCommand(command.text, vocabularyOf(deps.config));
    if (parsed.ok && parsed.command.kind === "modal") {
      let viewId: string | undefined;
      await quietly(deps.log, "request form", async () => {
        viewId = (await client.views.open({ trigger_id: command.trigger_id, view: loadingModal() })).view?.id;
      });
      await ack();
      if (!viewId) {
        const text = ":warning: Slack did not open the request form; try `/aws-access` again.";
        await quietly(deps.log, "request form", () => respond({ response_type: "ephemeral", text }));
        return;
      }
      const { kind: _kind, ...prefill } = parsed.command;
      let view: ModalView;
      try {
        const { actor, offers } = await requesterOffers(deps, command.user_id);
        const requester = actor.email ? { requester: { email: actor.email, groups: [...actor.groups] } } : {};
        view = requestModal(prefill, deps.config, offers, { channel: command.channel_id, ...requester });
      } catch (error) {
        // The loading view is replaced either way: by the form, or by what went wrong in words.
        view = resultModal("Request AWS access", report(deps.log, "request form", error));
      }
      const opened = viewId;
      await quietly(deps.log, "request form", () => client.views.update({ view_id: opened, view }));
      return;
    }
    await ack();
    try {
      const result = await handleCommand(deps, command.user_id, command.text);
      if (result.kind === "modal") return;
      const reply = commandReply(result, deps.config, deps.clock.now());
      await quietly(deps.log, "command", () => respond({ response_type: "ephemeral", ...reply }));
    } catch (error) {
      const text = report(deps.log, "command", error);
      await quietly(deps.log, "command", () => respond({ response_type: "ephemeral", text }));
    }
  };
}
