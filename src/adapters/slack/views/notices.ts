import type { types } from "@slack/bolt";
import type { ChatUser, NoticeExtras, RequesterNotice } from "../../../app/ports.js";
import type { AccessConfig } from "../../../domain/config.js";
import { formatDuration } from "../../../domain/duration.js";
import type { Grant } from "../../../domain/grant.js";
import { ACTIONS } from "../action-ids.js";
import { blockQuote, escapeText } from "../escape.js";
import { type Block, context, message, plain, type SlackMessage, section } from "./blocks.js";
import { confirmDialog, confirmedButton } from "./confirm.js";
import { accessLabel, channelLink, grantRef, localTime, mention } from "./format.js";
import { extendButton } from "./grant-buttons.js";
import { SLACK_LIMITS } from "./limits.js";

/** The AWS access portal page that opens the account's console with the permission set, if configured. */
export function portalLink(grant: Grant, config: AccessConfig): string | undefined {
  const base = config.identityCenter.portalUrl?.replace(/\/+$/, "");
  if (!base) return undefined;
  const account = encodeURIComponent(grant.account.id);
  const role = encodeURIComponent(grant.permissionSet.name);
  return `${base}/#/console?account_id=${account}&role_name=${role}`;
}

/**
 * The direct message the requester gets for one event of their grant; times in their own time zone. Long on
 * purpose: one case per notice, so every message a requester can get reads side by side with the others.
 */
export function requesterNotice(
  grant: Grant,
  notice: RequesterNotice,
  config: AccessConfig,
  user: ChatUser,
  now: number,
  extras: NoticeExtras = {},
): SlackMessage {
  const ref = grantRef(grant);
  const access = accessLabel(grant);
  const until = (ms: number | undefined) => (ms === undefined ? "" : ` until ${localTime(ms, user.tz, now)}`);
  const why = grant.outcomeReason ? `\n${blockQuote(grant.outcomeReason)}` : "";
  const opened = sessionsLine(grant, notice, user, now, extras.sessionSeconds);
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
        opened,
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
      return reminderNotice(
        grant,
        `:alarm_clock: Your access ${ref} (${access}) ends${until(grant.expiresAt)}. For more time: \`/aws-access extend ${escapeText(grant.id)} 1h\``,
        extras.extendBySeconds,
      );
    case "expired":
      return plainNotice(
        `:checkered_flag: Your access ${ref} (${access}) has expired and was removed.`,
        opened,
      );
    case "revoked":
      return plainNotice(
        `:checkered_flag: Your access ${ref} (${access}) was ended early and has been removed.${why}`,
        opened,
      );
    case "extended":
      return grantedNotice(
        grant,
        config,
        `:arrows_counterclockwise: Your access ${ref} (${access}) now lasts${until(grant.expiresAt)}.`,
        opened,
      );
    case "extension-denied": {
      const reason = grant.extension?.reason ? `\n${blockQuote(grant.extension.reason)}` : "";
      return plainNotice(
        `:no_entry: Your request to extend ${ref} (${access}) was denied by ${mention(grant.extension?.decidedBy)}; it still ends${until(grant.expiresAt)}.${reason}`,
      );
    }
    case "cancelled":
      return plainNotice(
        `:no_entry_sign: Your request ${ref} for ${access} was cancelled by an operator before anyone decided it.`,
      );
    case "timed-out":
      return plainNotice(
        `:alarm_clock: Your request ${ref} for ${access} timed out: nobody decided within ${formatDuration((grant.timeoutAt - grant.createdAt) / 1000)}. Ask again if you still need it.`,
      );
  }
}

function plainNotice(mrkdwn: string, note?: string): SlackMessage {
  return message(mrkdwn, note ? [section(mrkdwn), context(note)] : [section(mrkdwn)]);
}

/**
 * Until when AWS sessions issued from this access may last: deleting the assignment stops new sign-ins, not the
 * sessions already open, which run out after the permission set's session duration.
 */
function sessionsLine(
  grant: Grant,
  notice: RequesterNotice,
  user: ChatUser,
  now: number,
  sessionSeconds: number | undefined,
): string | undefined {
  const ending = notice === "expired" || notice === "revoked";
  if (!ending && notice !== "granted" && notice !== "extended") return undefined;
  const end = ending ? (grant.endedAt ?? now) : grant.expiresAt;
  if (sessionSeconds === undefined || end === undefined) {
    return ending
      ? "AWS sessions already open may last until the permission set's session duration runs out (1h unless changed, at most 12h)."
      : "AWS sessions opened with it may outlast it by the permission set's session duration (1h unless changed, at most 12h).";
  }
  const last = localTime(end + sessionSeconds * 1000, user.tz, now);
  const lasts = formatDuration(sessionSeconds);
  return ending
    ? `AWS sessions already open may last until ${last} (the permission set's session duration, ${lasts}); sign out of the console to end yours now.`
    : `AWS sessions opened with it may last ${lasts} past its end: until ${last} at the latest.`;
}

/** The expiry reminder: Extend (where the rule still allows more) and Revoke now. */
function reminderNotice(grant: Grant, mrkdwn: string, extendBy: number | undefined): SlackMessage {
  const elements: types.ActionsBlockElement[] = [];
  if (extendBy !== undefined && extendBy > 0) elements.push(extendButton(grant, extendBy));
  elements.push(revokeNowButton(grant));
  return message(mrkdwn, [section(mrkdwn), { type: "actions", elements }]);
}

function revokeNowButton(grant: Grant): types.Button {
  const dialog = confirmDialog(
    "Revoke access now?",
    `${accessLabel(grant)} ends now (${grantRef(grant)}).`,
    "Revoke now",
    "danger",
  );
  return confirmedButton("Revoke now", ACTIONS.revokeNow, grant.id, dialog, "danger");
}

function grantedNotice(grant: Grant, config: AccessConfig, mrkdwn: string, note?: string): SlackMessage {
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
  elements.push(revokeNowButton(grant));
  const blocks: Block[] = [section(mrkdwn), { type: "actions", elements }];
  const notes = [
    ...(grant.preExisting
      ? ["You already held this access permanently; it stays when this grant ends."]
      : []),
    ...(note ? [note] : []),
  ];
  if (notes.length > 0) blocks.push(context(...notes));
  return message(mrkdwn, blocks);
}
