import type { AuditEvent } from "../../../domain/grant.js";
import { escapeText } from "../escape.js";
import { message, type SlackMessage, section } from "./blocks.js";
import { mention } from "./format.js";
import { clip } from "./limits.js";

/** Longest reason quoted in the audit channel; the audit trail keeps it whole. */
const REASON = 500;

/** A refusal in the audit channel, and how many more from the same person the channel's limit held back. */
export function refusalLine(actor: string, event: AuditEvent | undefined, heldBack: number): SlackMessage {
  const lines: string[] = [];
  if (event) {
    const on = event.grantId ? ` on \`${escapeText(event.grantId.slice(0, 64))}\`` : "";
    const reason = event.reason ? `: ${clip(escapeText(event.reason), REASON)}` : "";
    lines.push(`:no_entry_sign: *refused*${on} for ${mention(actor)}${reason}`);
  }
  if (heldBack > 0) {
    const what = heldBack === 1 ? "refusal" : "refusals";
    lines.push(
      `${event ? "" : ":no_entry_sign: "}…and ${heldBack} more ${what} from ${mention(actor)} in the last minute (all in the audit trail)`,
    );
  }
  const text = lines.join("\n");
  return message(text, [section(text)]);
}
