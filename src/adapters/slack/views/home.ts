import type { types } from "@slack/bolt";
import type { HomeContent } from "../../../app/ports.js";
import { formatDuration } from "../../../domain/duration.js";
import type { Grant } from "../../../domain/grant.js";
import { ACTIONS } from "../action-ids.js";
import { blockQuote, code } from "../escape.js";
import { type Block, context, plain, section } from "./blocks.js";
import { confirmDialog, confirmedButton } from "./confirm.js";
import {
  accessLabel,
  approvalCount,
  durationLabel,
  grantRef,
  mention,
  relative,
  slackDate,
} from "./format.js";
import {
  extendButton,
  extensionDecisionButtons,
  requestDecisionButtons,
  revokeButton,
} from "./grant-buttons.js";
import { clip, SLACK_LIMITS } from "./limits.js";

/** Items shown per list (two blocks each), so the whole tab stays inside Slack's 100 blocks. */
const SHOWN = { mine: 10, toApprove: 12, extensions: 5, revocable: 12 } as const;
/** Longest reason quoted on the tab; the approval message has it whole. */
const REASON = 300;

/** The Home tab: the viewer's open grants, then what waits for them as an approver, then what they may end. */
export function homeView(content: HomeContent, now: number): types.HomeView {
  const blocks: Block[] = [{ type: "header", text: plain("AWS access", SLACK_LIMITS.headerText) }];
  if (content.notice) blocks.push(section(content.notice));
  blocks.push(section("*Your access*"));
  if (content.mine.length === 0) {
    blocks.push(context("You have no open grants. `/aws-access help` shows what you can ask for."));
  }
  list(blocks, content.mine, SHOWN.mine, (grant) => mine(grant, content.extendBy[grant.id] ?? 0, now));
  const approver =
    content.toApprove.length + content.extensionsToApprove.length + content.revocable.length > 0;
  if (approver) {
    blocks.push({ type: "divider" }, section("*Waiting for you*"));
    if (content.toApprove.length + content.extensionsToApprove.length === 0) {
      blocks.push(context("Nothing waits for your approval."));
    }
    list(blocks, content.toApprove, SHOWN.toApprove, (grant) => toApprove(grant, now));
    list(blocks, content.extensionsToApprove, SHOWN.extensions, (grant) => extensionToApprove(grant));
    if (content.revocable.length > 0) {
      blocks.push({ type: "divider" }, section("*Active grants you may end*"));
      list(blocks, content.revocable, SHOWN.revocable, (grant) => revocable(grant, now));
    }
  }
  blocks.push(context(`Updated ${slackDate(now)}`));
  return { type: "home", blocks: blocks.slice(0, SLACK_LIMITS.homeBlocks) };
}

function list(
  blocks: Block[],
  grants: readonly Grant[],
  shown: number,
  render: (grant: Grant) => Block[],
): void {
  for (const grant of grants.slice(0, shown)) blocks.push(...render(grant));
  if (grants.length > shown)
    blocks.push(context(`…and ${grants.length - shown} more; \`/aws-access list\` lists yours.`));
}

function mine(grant: Grant, extendBy: number, now: number): Block[] {
  const blocks: Block[] = [section(`${grantRef(grant)} ${accessLabel(grant)}: ${state(grant, now)}`)];
  const elements: types.Button[] = [];
  if (grant.status === "active") {
    elements.push(revokeButton(grant, "Revoke"));
    if (extendBy > 0) elements.push(extendButton(grant, extendBy));
  }
  if (grant.status === "pending") {
    const dialog = confirmDialog(
      "Cancel the request?",
      `${grantRef(grant)} will not be granted.`,
      "Cancel request",
      "danger",
    );
    elements.push(confirmedButton("Cancel request", ACTIONS.revoke, grant.id, dialog, "danger"));
  }
  if (elements.length > 0) blocks.push({ type: "actions", elements });
  return blocks;
}

function toApprove(grant: Grant, now: number): Block[] {
  const reason = clip(blockQuote(grant.reason), REASON);
  const text = `${grantRef(grant)} ${mention(grant.requester.slackId)} asks for ${accessLabel(grant)} for ${durationLabel(grant)} (${approvalCount(grant)}; times out ${relative(grant.timeoutAt, now)})\n${reason}`;
  return [section(text), requestDecisionButtons(grant)];
}

function extensionToApprove(grant: Grant): Block[] {
  const extension = grant.extension;
  if (!extension) return [];
  const more = code(formatDuration(extension.addSeconds));
  return [
    section(
      `${grantRef(grant)} ${mention(extension.by)} asks to extend ${accessLabel(grant)} of ${mention(grant.requester.slackId)} by ${more} (${extension.approvals.length} of ${extension.required} approvals)`,
    ),
    extensionDecisionButtons(grant, extension.id, more),
  ];
}

function revocable(grant: Grant, now: number): Block[] {
  return [
    section(
      `${grantRef(grant)} ${mention(grant.requester.slackId)} has ${accessLabel(grant)}: ${state(grant, now)}`,
    ),
    { type: "actions", elements: [revokeButton(grant, "Revoke")] },
  ];
}

function state(grant: Grant, now: number): string {
  switch (grant.status) {
    case "pending":
      return `waiting for approval (${approvalCount(grant)})`;
    case "active": {
      const until =
        grant.expiresAt === undefined
          ? "active"
          : `active until ${slackDate(grant.expiresAt)} (${relative(grant.expiresAt, now)})`;
      return grant.extension?.status === "pending"
        ? `${until}; extension by ${code(formatDuration(grant.extension.addSeconds))} waiting for approval`
        : until;
    }
    case "provisioning":
      return "approved; granting access";
    case "revoking":
      return "ending; removing access";
    default:
      return grant.status;
  }
}
