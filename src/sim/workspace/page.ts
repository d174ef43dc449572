import { type Html, html, join } from "./html.js";
import { APP_NAME, timeOf, type WorkspacePerson, type WsItem } from "./workspace.js";

/** An item as the page receives it: where it goes and its markup (author line and body). */
export interface ItemDto {
  key: string;
  conversation: string;
  threadTs?: string;
  seq: number;
  html: string;
}

/** The author line and body of one message, ephemeral reply or typed command. */
export function itemDto(item: WsItem, names: (slackId: string) => string | undefined, tz: string): ItemDto {
  const author = item.author ? (names(item.author) ?? item.author) : APP_NAME;
  const head = html`<div class="msg-head"><span class="msg-author">${author}</span>${item.author ? "" : html`<span class="app-tag">APP</span>`}<span class="msg-time">${timeOf(item.ts, tz)}</span>${item.edited ? html`<span class="msg-edited">(edited)</span>` : ""}${item.visibleTo ? html`<span class="msg-only-you">Only visible to you</span>` : ""}</div>`;
  return {
    key: item.key,
    conversation: item.conversation,
    ...(item.threadTs ? { threadTs: item.threadTs } : {}),
    seq: item.seq,
    html: `${head.__html}<div class="msg-body">${item.html}</div>`,
  };
}

function personOption(p: WorkspacePerson): Html {
  const groups = p.groups.length > 0 ? p.groups.join(", ") : "no groups";
  return html`<option value="${p.slackId}">${p.name} (${groups})</option>`;
}

/** The page shell; the script fills it from the event stream. */
export function pageShell(options: {
  people: WorkspacePerson[];
  first: string;
  tz: string;
  example?: string;
}): string {
  const people = join(options.people.map(personOption));
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>aws-access sandbox</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/blocks.css">
<link rel="stylesheet" href="/workspace.css">
<script type="module" src="/workspace.js"></script>
</head>
<body data-first-user="${options.first}" data-tz="${options.tz}" data-example="${options.example ?? ""}">
<header class="topbar">
  <div class="brand">aws-access <span class="muted">sandbox workspace</span></div>
  <label class="who">Acting as <select id="user" aria-label="Acting as">${people}</select></label>
  <div class="clock" aria-label="Sandbox clock"><span class="muted">Sandbox time</span> <time id="clock">--:--:--</time>
    <button type="button" class="skip" data-skip="300000">+5 min</button>
    <button type="button" class="skip" data-skip="3600000">+1 h</button>
    <button type="button" class="skip" data-skip="next-expiry">Skip to next expiry</button>
  </div>
  <span id="connection" class="connection" title="Live updates">●</span>
</header>
<div class="layout">
  <nav class="sidebar" aria-label="Conversations">
    <div class="side-title">Channels</div><ul id="channels"></ul>
    <div class="side-title">Apps</div><ul id="apps"></ul>
  </nav>
  <main class="main">
    <div class="conv-head"><h1 id="conv-title">#</h1><div id="tabs" class="tabs" hidden><button type="button" data-tab="home">Home</button><button type="button" data-tab="messages">Messages</button></div></div>
    <section id="home" class="home" hidden></section>
    <section id="messages" class="messages" aria-live="polite"></section>
    <form id="composer" class="composer" autocomplete="off"><input id="composer-text" aria-label="Message" placeholder="/aws-access prod ReadOnly 1h why"><button type="submit" class="bk-button primary">Send</button></form>
  </main>
  <aside id="panel" class="panel" aria-label="Identity Center"></aside>
</div>
<div id="modal-root" class="overlay" hidden></div>
<div id="confirm-root" class="overlay" hidden><div class="confirm" role="dialog" aria-modal="true"></div></div>
<div id="toast" class="toast" role="status" hidden></div>
</body>
</html>`.__html;
}
