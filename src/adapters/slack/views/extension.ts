import { formatDuration } from "../../../domain/duration.js";
import type { Grant } from "../../../domain/grant.js";
import { blockQuote, code } from "../escape.js";
import { type Block, context, message, type SlackMessage, section } from "./blocks.js";
import { accessLabel, grantRef, mention, relative, slackDate } from "./format.js";
import { extensionDecisionButtons } from "./grant-buttons.js";
import { firstOf } from "./limits.js";

/** Approvers named one by one; more are counted. */
const NAMED = 10;

/** The extension request in the approval message's thread: Approve and Deny while it waits, then its outcome. */
export function extensionMessage(grant: Grant, now: number): SlackMessage {
  const extension = grant.extension;
  if (!extension)
    return message(`No extension of ${grantRef(grant)}`, [section(`No extension of ${grantRef(grant)}.`)]);
  const more = code(formatDuration(extension.addSeconds));
  const until =
    grant.expiresAt === undefined ? "" : ` (to ${slackDate(grant.expiresAt + extension.addSeconds * 1000)})`;
  const approvals = extension.approvals.map((a) => mention(a.slackId));
  const so = approvals.length > 0 ? `; approved so far by ${firstOf(approvals, NAMED)}` : "";
  const blocks: Block[] = [];
  let text: string;
  switch (extension.status) {
    case "pending": {
      text = `:hourglass_flowing_sand: ${mention(extension.by)} asks to extend ${grantRef(grant)} (${accessLabel(grant)}) by ${more}${until}. Needs ${extension.approvals.length} of ${extension.required} approvals${so}.`;
      blocks.push(section(text));
      if (grant.expiresAt !== undefined) {
        blocks.push(
          context(
            `Access ends ${slackDate(grant.expiresAt)} (${relative(grant.expiresAt, now)}) unless extended.`,
          ),
        );
      }
      if (grant.status === "active") blocks.push(extensionDecisionButtons(grant, extension.id, more));
      break;
    }
    case "approved":
      text = `:white_check_mark: Extension of ${grantRef(grant)} by ${more} approved by ${firstOf(approvals, NAMED)}${grant.expiresAt === undefined ? "" : `: access now lasts until ${slackDate(grant.expiresAt)}`}.`;
      blocks.push(section(text));
      break;
    case "denied": {
      const why = extension.reason ? `\n${blockQuote(extension.reason)}` : "";
      text = `:no_entry: Extension of ${grantRef(grant)} by ${more} denied by ${mention(extension.decidedBy)}.${why}`;
      blocks.push(section(text));
      break;
    }
    case "dropped":
      text = `:heavy_multiplication_x: Extension of ${grantRef(grant)} by ${more} was not decided before the grant ended.`;
      blocks.push(section(text));
      break;
  }
  return message(text, blocks);
}
