import { DateTime } from "luxon";
import { escapeHtml, type Html, trusted } from "./html.js";

/** Names and time the renderer needs: who `<@U…>` and `<#C…>` are, and the zone dates are shown in. */
export interface Directory {
  userName(slackId: string): string | undefined;
  channelName(channelId: string): string | undefined;
  /** IANA zone for `<!date^…>`. */
  tz: string;
  /** Epoch ms, for "today" and "yesterday" in dates. */
  now(): number;
}

/** The emoji the bot uses, and a few more; unknown names stay as `:name:`. */
const EMOJI: Record<string, string> = {
  key: "🔑",
  white_check_mark: "✅",
  hourglass_flowing_sand: "⏳",
  hourglass: "⌛",
  no_entry: "⛔",
  no_entry_sign: "🚫",
  x: "❌",
  checkered_flag: "🏁",
  gear: "⚙️",
  alarm_clock: "⏰",
  warning: "⚠️",
  heavy_multiplication_x: "✖️",
  arrows_counterclockwise: "🔄",
  information_source: "ℹ️",
  lock: "🔒",
  unlock: "🔓",
  bell: "🔔",
  wave: "👋",
  eyes: "👀",
  house: "🏠",
  clock1: "🕐",
  calendar: "📅",
  link: "🔗",
  bust_in_silhouette: "👤",
  busts_in_silhouette: "👥",
  raised_hand: "✋",
  question: "❓",
  heavy_check_mark: "✔️",
  rocket: "🚀",
};

/** Characters the renderer uses as placeholders; removed from input so text cannot forge one. */
const OPEN = "\uE000";
const CLOSE = "\uE001";

/** Slack's three escapes, decoded once: what the sender escaped is shown as the character itself. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&(lt|gt|amp);/g, (_all, name: string) =>
    name === "lt" ? "<" : name === "gt" ? ">" : "&",
  );
}

/** A plain_text object: Slack's escapes decoded, shown as text; `:emoji:` converted when asked. */
export function plainText(text: string, emoji = true): Html {
  const escaped = escapeHtml(decodeSlackEntities(text));
  return trusted(
    emoji ? escaped.replace(/:([a-z0-9_+-]+):/g, (all, name: string) => EMOJI[name] ?? all) : escaped,
  );
}

/**
 * Slack mrkdwn as HTML. The text is made safe first (control sequences such as `<@U…>` parsed into their own
 * markup, everything else decoded and escaped as text), and only then are bold, italic, strike, code, quotes
 * and emoji applied; user text the bot escaped (`&lt;script&gt;`, `&lt;!channel&gt;`) appears literally.
 */
export function mrkdwn(text: string, dir: Directory): Html {
  const pieces: string[] = [];
  const hold = (markup: string) => `${OPEN}${pieces.push(markup) - 1}${CLOSE}`;
  const source = text.replaceAll(OPEN, "\uFFFD").replaceAll(CLOSE, "\uFFFD");
  const withBlocks = source.replace(/```\n?([\s\S]*?)```/g, (_all, body: string) =>
    hold(`<pre class="code-block">${escapeHtml(decodeSlackEntities(body))}</pre>`),
  );
  const lines = withBlocks.split("\n").map((line) => {
    const quoted = line.startsWith(">");
    const body = quoted ? line.slice(1).replace(/^ /, "") : line;
    return { quoted, markup: inline(body, dir, hold) };
  });
  let out = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    if (line.quoted) {
      const quote: string[] = [];
      while (lines[i]?.quoted) quote.push(lines[i++]?.markup ?? "");
      i -= 1;
      out += `<blockquote>${quote.join("<br>")}</blockquote>`;
    } else {
      out += line.markup + (lines[i + 1] && !lines[i + 1]?.quoted ? "<br>" : "");
    }
  }
  return trusted(restore(out, pieces));
}

function inline(line: string, dir: Directory, hold: (markup: string) => string): string {
  const held = line
    .replace(/<([^<>\n]+)>/g, (all, inner: string) => hold(control(inner, all, dir)))
    .replace(/`([^`\n]+)`/g, (_all, body: string) =>
      hold(`<code>${escapeHtml(decodeSlackEntities(body))}</code>`),
    )
    .replace(/:([a-z0-9_+-]+):/g, (all, name: string) => {
      const emoji = EMOJI[name];
      return emoji ? hold(emoji) : all;
    });
  return escapeHtml(decodeSlackEntities(held))
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S|\S)\*(?=[^\w*]|$)/g, "$1<b>$2</b>")
    .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S|\S)_(?=[^\w_]|$)/g, "$1<i>$2</i>")
    .replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S|\S)~(?=[^\w~]|$)/g, "$1<s>$2</s>");
}

function restore(markup: string, pieces: string[]): string {
  const pattern = new RegExp(`${OPEN}(\\d+)${CLOSE}`, "g");
  let out = markup;
  // Pieces may hold other pieces (a link label never does today); two passes cover one level of nesting.
  for (let pass = 0; pass < 2 && out.includes(OPEN); pass++) {
    out = out.replace(pattern, (_all, index: string) => pieces[Number(index)] ?? "");
  }
  return out;
}

/** One `<…>` control sequence as markup; anything not understood is shown as the literal text. */
function control(inner: string, all: string, dir: Directory): string {
  const bar = inner.indexOf("|");
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? decodeSlackEntities(inner.slice(bar + 1)) : undefined;
  if (/^@[UW][A-Z0-9]+$/.test(target)) {
    const id = target.slice(1);
    const name = dir.userName(id) ?? label ?? id;
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (/^#[CGD][A-Z0-9]+$/.test(target)) {
    const id = target.slice(1);
    const name = dir.channelName(id) ?? label ?? id;
    return `<span class="channel-link" data-channel="${escapeHtml(id)}">#${escapeHtml(name)}</span>`;
  }
  if (/^!(here|channel|everyone)$/.test(target)) {
    return `<span class="mention broadcast">@${escapeHtml(target.slice(1))}</span>`;
  }
  if (target.startsWith("!subteam^")) {
    return `<span class="mention">${escapeHtml(label ?? "@group")}</span>`;
  }
  if (target.startsWith("!date^")) {
    return `<time class="date">${escapeHtml(slackDate(target, label, dir))}</time>`;
  }
  if (/^(https?:\/\/|mailto:)[^\s"'<>]+$/i.test(target)) {
    const href = escapeHtml(decodeSlackEntities(target));
    return `<a href="${href}" target="_blank" rel="noopener noreferrer">${escapeHtml(label ?? decodeSlackEntities(target))}</a>`;
  }
  return escapeHtml(decodeSlackEntities(all));
}

/** `<!date^1700000000^{date_short_pretty} {time}|fallback>` in the directory's zone. */
function slackDate(target: string, fallback: string | undefined, dir: Directory): string {
  const [, seconds = "", format = ""] = target.split("^");
  const at = DateTime.fromSeconds(Number(seconds), { zone: dir.tz });
  if (!at.isValid || !/^\d+$/.test(seconds)) return fallback ?? "";
  const today = DateTime.fromMillis(dir.now(), { zone: dir.tz });
  const pretty = (plain: string) => {
    if (at.hasSame(today, "day")) return "today";
    if (at.hasSame(today.minus({ days: 1 }), "day")) return "yesterday";
    if (at.hasSame(today.plus({ days: 1 }), "day")) return "tomorrow";
    return plain;
  };
  const tokens: Record<string, () => string> = {
    date_num: () => at.toFormat("yyyy-LL-dd"),
    date_slash: () => at.toFormat("LL/dd/yyyy"),
    date: () => at.toFormat("LLLL d, yyyy"),
    date_short: () => at.toFormat("LLL d, yyyy"),
    date_long: () => at.toFormat("cccc, LLLL d, yyyy"),
    date_long_full: () => at.toFormat("cccc, LLLL d, yyyy"),
    date_pretty: () => pretty(at.toFormat("LLLL d, yyyy")),
    date_short_pretty: () => pretty(at.toFormat("LLL d, yyyy")),
    date_long_pretty: () => pretty(at.toFormat("cccc, LLLL d, yyyy")),
    time: () => at.toFormat("HH:mm"),
    time_secs: () => at.toFormat("HH:mm:ss"),
  };
  let unknown = false;
  const shown = format.replace(/\{(\w+)\}/g, (_all, token: string) => {
    const render = tokens[token];
    if (!render) unknown = true;
    return render ? render() : "";
  });
  return unknown ? (fallback ?? shown) : decodeSlackEntities(shown);
}
