import type { types } from "@slack/bolt";
import type { ChatUser, RequesterNotice } from "../../../app/ports.js";
import type { AccessConfig } from "../../../domain/config.js";
import { formatDuration } from "../../../domain/duration.js";
import type { Grant } from "../../../domain/grant.js";
import { ACTIONS } from "../action-ids.js";
import { escapeText, quote } from "../escape.js";
import { type Block, button, context, message, plain, type SlackMessage, section } from "./blocks.js";
import { accessLabel, channelLink, grantRef, localTime, mention } from "./format.js";
import { SLACK_LIMITS } from "./limits.js";

/** The AWS access portal page that opens the account's console with the permission set, if configured. */
export function portalLink(grant: Grant, config: AccessConfig): string | undefined {
  const base = config.identityCenter.portalUrl?.replace(/\/+$/, "");
  if (!base) return undefined;
  const account = encodeURIComponent(grant.account.id);
  const role = encodeURIComponent(grant.permissionSet.name);
  return `${base}/#/console?account_id=${account}&role_name=${role}`;
}

/** The direct message the requester gets for one event of their grant; times in their own time zone. */
export function requesterNotice(
  grant: Grant,
  notice: RequesterNotice,
  config: AccessConfig,
  user: ChatUser,
  now: number,
): SlackMessage {
  const ref = grantRef(grant);
  const access = accessLabel(grant);
  const until = (ms: number | undefined) => (ms === undefined ? "" : ` until ${localTime(ms, user.tz, now)}`);
  const why = grant.outcomeReason ? `\n${quote(grant.outcomeReason)}` : "";
  switch (notice) {
    case "requested": {
      const where = grant.message ? ` in ${channelLink(grant.message.channel)}` : "";
      return plainNotice(
        `:hourglass_flowing_sand: Your request ${ref} for ${access} is waiting for approval${where}.`,
      );
    }
    case "granted":
      return grantedNotice(
        grant,
        config,
        `:white_check_mark: You have ${access}${until(grant.expiresAt)}. Grant ${ref}.`,
      );
    case "denied":
      return plainNotice(
        `:no_entry: Your request ${ref} for ${access} was denied by ${mention(grant.decidedBy)}.${why || "\nNo reason was given."}`,
      );
    case "failed":
      return plainNotice(
        `:x: Your access ${ref} (${access}) could not be granted. Identity Center said:${why || "\nno reason given."}`,
      );
    case "reminder":
      return plainNotice(
        `:alarm_clock: Your access ${ref} (${access}) ends${until(grant.expiresAt)}. For more time: \`/aws-access extend ${escapeText(grant.id)} 1h\``,
      );
    case "expired":
      return plainNotice(`:checkered_flag: Your access ${ref} (${access}) has expired and was removed.`);
    case "revoked":
      return plainNotice(
        `:checkered_flag: Your access ${ref} (${access}) was ended early and has been removed.${why}`,
      );
    case "extended":
      return grantedNotice(
        grant,
        config,
        `:arrows_counterclockwise: Your access ${ref} (${access}) now lasts${until(grant.expiresAt)}.`,
      );
    case "cancelled":
      return plainNotice(
        `:no_entry_sign: Your request ${ref} for ${access} was cancelled by an operator before anyone decided it.`,
      );
    case "timed-out":
      return plainNotice(
        `:alarm_clock: Your request ${ref} for ${access} timed out: nobody decided within ${formatDuration(config.defaults.requestTimeoutSeconds)}. Ask again if you still need it.`,
      );
  }
}

function plainNotice(mrkdwn: string): SlackMessage {
  return message(mrkdwn, [section(mrkdwn)]);
}

function grantedNotice(grant: Grant, config: AccessConfig, mrkdwn: string): SlackMessage {
  const link = portalLink(grant, config);
  const elements: types.ActionsBlockElement[] = [];
  if (link && link.length <= SLACK_LIMITS.url) {
    const open: types.Button = {
      type: "button",
      text: plain("Open in AWS"),
      action_id: ACTIONS.portalLink,
      url: link,
    };
    elements.push(open);
  }
  elements.push(button("Revoke now", ACTIONS.revokeNow, grant.id, "danger"));
  const blocks: Block[] = [section(mrkdwn), { type: "actions", elements }];
  if (grant.preExisting) {
    blocks.push(context("You already held this access permanently; it stays when this grant ends."));
  }
  return message(mrkdwn, blocks);
}
