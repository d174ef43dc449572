import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { AppDeps } from "../../../app/deps.js";
import { recordRefusal } from "../../../app/refusals.js";
import { NotAuthorised } from "../../../domain/errors.js";
import { errorText } from "../views/error-text.js";
import { resultModal } from "../views/modals.js";
import { type Interaction, readInteraction } from "./payload.js";
import { quietly } from "./report.js";

/** What register.ts listens for; a well-formed request for anything else is acknowledged and dropped. */
export interface Routes {
  commands: readonly string[];
  actions: readonly string[];
  views: readonly string[];
  /** action_ids of selects whose options the app answers (block_suggestion). */
  options?: readonly string[];
}

type Ack = (response?: unknown) => Promise<void>;
type Respond = (message: Record<string, unknown>) => Promise<unknown>;

/** Longest id or name copied from a payload into the audit trail and the log. */
const ECHO = 64;

/**
 * The global middleware in front of every listener (invariant 4): a request must come from the Slack team, or
 * Enterprise Grid organisation, the app is installed in (auth.test); anything else is refused, told and audited.
 * Requests the listeners cannot read, or that no listener handles, are acknowledged and go no further.
 */
export function admit(deps: AppDeps, routes: Routes): Middleware<AnyMiddlewareArgs> {
  if (!deps.installation) {
    deps.log.error(
      "slack: started without the installation's team (auth.test); every interaction is refused",
    );
  }
  return async (args) => {
    const interaction = readInteraction(args.body);
    if (!interaction) {
      await args.next();
      return;
    }
    const refusal = foreign(interaction, deps.installation);
    if (refusal) {
      await refuse(deps, args, interaction, refusal);
      return;
    }
    if (interaction.problem) {
      deps.log.warn("slack: unreadable request acknowledged and dropped", describe(interaction));
      await acknowledge(args, interaction);
      return;
    }
    if (!routed(interaction, routes)) {
      deps.log.info("slack: request for nothing this app handles acknowledged", describe(interaction));
      await acknowledge(args, interaction);
      return;
    }
    await args.next();
  };
}

interface Refusal {
  /** For the audit trail and the log. */
  reason: string;
  /** For the person, as a domain error's message (errorText escapes it). */
  told: string;
}

/** Why the acting user is not of the installation's team or organisation; undefined when they are. */
export function foreign(
  interaction: Pick<Interaction, "teams">,
  installation: AppDeps["installation"],
): Refusal | undefined {
  if (!installation) {
    return {
      reason:
        "the app does not know which Slack team it is installed in (no auth.test); every request is refused",
      told: "This app is not ready: it does not know which Slack workspace it is installed in. Nothing was done; an administrator can find why in the log.",
    };
  }
  const home = [installation.teamId, installation.enterpriseId].filter((id): id is string => Boolean(id));
  if (interaction.teams.some((team) => home.includes(team))) return undefined;
  const installed = `${installation.teamId}${installation.enterpriseId ? ` (organisation ${installation.enterpriseId})` : ""}`;
  if (interaction.teams.length === 0) {
    return {
      reason: `request without the acting user's Slack team; the app is installed in ${installed}`,
      told: "Slack did not say which workspace you belong to, so nothing was done.",
    };
  }
  const teams = interaction.teams.map((team) => team.slice(0, ECHO)).join(", ");
  return {
    reason: `request from Slack team ${teams}, not the team the app is installed in (${installed})`,
    told: `This app answers only people of the Slack workspace it is installed in; yours (\`${teams}\`) is another one, so nothing was done.`,
  };
}

function routed(interaction: Interaction, routes: Routes): boolean {
  const target = interaction.target ?? "";
  switch (interaction.kind) {
    case "command":
      return routes.commands.includes(target);
    case "action":
      return interaction.type === "block_actions" && routes.actions.includes(target);
    case "view":
      return interaction.type === "view_submission" && routes.views.includes(target);
    case "options":
      return interaction.type === "block_suggestion" && (routes.options ?? []).includes(target);
    default:
      return false;
  }
}

async function refuse(
  deps: AppDeps,
  args: AnyMiddlewareArgs,
  interaction: Interaction,
  refusal: Refusal,
): Promise<void> {
  const text = errorText(new NotAuthorised(refusal.told));
  const ack = ackOf(args);
  switch (interaction.kind) {
    case "command":
      await ack({ response_type: "ephemeral", text });
      break;
    case "view":
      await ack(
        interaction.type === "view_submission"
          ? { response_action: "update", view: resultModal("Not allowed", text) }
          : undefined,
      );
      break;
    case "options":
      await ack({ options: [] });
      break;
    default: {
      await ack();
      const respond = respondOf(args);
      if (respond) {
        await quietly(deps.log, "refusal", () =>
          respond({ response_type: "ephemeral", replace_original: false, text }),
        );
      }
    }
  }
  const actor = interaction.userId ?? "unknown";
  await recordRefusal(deps, actor, refusal.reason, undefined, {
    interaction: interaction.kind,
    target: (interaction.target ?? "").slice(0, ECHO),
  });
}

/** Acknowledges with the empty answer each kind expects, so Slack shows no error and nothing runs. */
async function acknowledge(args: AnyMiddlewareArgs, interaction: Interaction): Promise<void> {
  await ackOf(args)(interaction.kind === "options" ? { options: [] } : undefined);
}

function ackOf(args: AnyMiddlewareArgs): Ack {
  const ack = "ack" in args ? (args as { ack?: unknown }).ack : undefined;
  return typeof ack === "function" ? (ack as Ack) : async () => {};
}

function respondOf(args: AnyMiddlewareArgs): Respond | undefined {
  const respond = "respond" in args ? (args as { respond?: unknown }).respond : undefined;
  return typeof respond === "function" ? (respond as Respond) : undefined;
}

function describe(interaction: Interaction): Record<string, string> {
  return {
    kind: interaction.kind,
    type: interaction.type.slice(0, ECHO),
    target: (interaction.target ?? "").slice(0, ECHO),
    user: interaction.userId ?? "unknown",
    ...(interaction.problem ? { problem: interaction.problem } : {}),
  };
}
