// The sandbox workspace page: renders what the server pushes (Server-Sent Events) and reports what people do.
// Markup arrives rendered and escaped by the server; text typed or picked here is only ever set as textContent.

import { $, $$, post, run, setUser, toast } from "./api.js";
import { confirmThen, inInputBlock, pick, renderModal, sendAction, submitModal, suggest } from "./forms.js";

const state = {
  user: "",
  conversation: "",
  tab: "messages",
  conversations: new Map(),
  unread: new Map(),
  offset: 0,
  home: null,
  events: null,
};

// ---------- conversations ----------

function conversationBox(id) {
  let box = $(`.conv[data-conv="${CSS.escape(id)}"]`);
  if (!box) {
    box = document.createElement("div");
    box.className = "conv";
    box.dataset.conv = id;
    box.hidden = id !== state.conversation;
    $("#messages").append(box);
  }
  return box;
}

function renderSidebar() {
  const entry = (c) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.conv = c.id;
    button.className = c.id === state.conversation ? "active" : "";
    button.textContent = c.kind === "app" ? c.name : `# ${c.name}`;
    const count = state.unread.get(c.id) ?? 0;
    if (count > 0) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = String(count);
      button.append(badge);
    }
    li.append(button);
    return li;
  };
  const all = [...state.conversations.values()];
  $("#channels").replaceChildren(...all.filter((c) => c.kind === "channel").map(entry));
  $("#apps").replaceChildren(...all.filter((c) => c.kind === "app").map(entry));
}

function show(id, tab) {
  state.conversation = id;
  state.unread.delete(id);
  const conversation = state.conversations.get(id);
  const isApp = conversation?.kind === "app";
  if (tab) state.tab = tab;
  const onHome = isApp && state.tab === "home";
  $("#conv-title").textContent = isApp ? conversation.name : `# ${conversation?.name ?? id}`;
  $("#tabs").hidden = !isApp;
  for (const button of $$("#tabs button"))
    button.classList.toggle("active", button.dataset.tab === state.tab);
  $("#home").hidden = !onHome;
  $("#messages").hidden = onHome;
  $("#composer").hidden = onHome;
  for (const box of $$(".conv")) box.hidden = box.dataset.conv !== id;
  const where = isApp ? conversation.name : `#${conversation?.name ?? ""}`;
  $("#composer-text").placeholder =
    `Message ${where}: try ${document.body.dataset.example || "/aws-access help"}`;
  renderSidebar();
  if (isApp) run(post("home", { tab: state.tab }));
  scrollDown();
}

function scrollDown() {
  const box = $("#messages");
  box.scrollTop = box.scrollHeight;
}

// ---------- items ----------

function upsertItem(item) {
  let article = $(`article[data-key="${CSS.escape(item.key)}"]`);
  const isNew = !article;
  if (isNew) {
    article = document.createElement("article");
    article.className = "msg";
    article.dataset.key = item.key;
    article.dataset.source = "message";
    const content = document.createElement("div");
    content.className = "msg-content";
    const replies = document.createElement("div");
    replies.className = "replies";
    article.append(content, replies);
    const parent = item.threadTs
      ? $(`article[data-key="${CSS.escape(`m:${item.conversation}:${item.threadTs}`)}"] > .replies`)
      : null;
    (parent ?? conversationBox(item.conversation)).append(article);
  }
  article.classList.toggle("ephemeral", item.html.includes('class="msg-only-you"'));
  article.classList.toggle("reply", Boolean(item.threadTs));
  $(".msg-content", article).innerHTML = item.html;
  if (isNew && item.conversation !== state.conversation) {
    state.unread.set(item.conversation, (state.unread.get(item.conversation) ?? 0) + 1);
    renderSidebar();
  }
  if (item.conversation === state.conversation) scrollDown();
}

function renderHome() {
  const root = $("#home");
  if (state.home) {
    root.innerHTML = state.home;
    return;
  }
  const empty = document.createElement("div");
  empty.className = "home-empty";
  const title = document.createElement("h2");
  title.textContent = "Nothing here yet";
  const text = document.createElement("p");
  text.textContent =
    "aws-access has not published a Home tab for you (views.publish). Its messages to you are under Messages.";
  empty.append(title, text);
  root.replaceChildren(empty);
}

document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const conv = target.closest("button[data-conv]");
  if (conv) return show(conv.dataset.conv);
  const tab = target.closest("[data-tab]");
  if (tab) return show(state.conversation, tab.dataset.tab);
  const skip = target.closest("[data-skip]");
  if (skip) {
    const value = skip.dataset.skip === "next-expiry" ? "next-expiry" : Number(skip.dataset.skip);
    return run(post("clock", { skip: value }).then((r) => r.skipped || toast("No active grant to skip to.")));
  }
  const modalButton = target.closest("[data-modal]");
  if (modalButton) {
    const form = modalButton.closest("form.modal");
    const how = modalButton.dataset.modal === "clear" ? "clear" : "back";
    return run(post("close", { viewId: form.dataset.viewId, how }));
  }
  const remove = target.closest(".bk-chip-remove");
  if (remove) {
    const box = remove.closest(".bk-typeahead");
    remove.closest(".bk-chip").remove();
    if (!inInputBlock(box)) sendAction(box);
    return;
  }
  const option = target.closest(".bk-option");
  if (option) return pick(option);
  const button = target.closest('button[data-el="button"]');
  if (button) {
    confirmThen(button, () => {
      if (button.dataset.url) window.open(button.dataset.url, "_blank", "noopener,noreferrer");
      sendAction(button);
    });
  }
});

document.addEventListener("change", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const el = target?.closest("[data-el]");
  if (!el || el.matches(".bk-typeahead") || inInputBlock(el)) return;
  if (target.closest(".bk-typeahead")) return;
  confirmThen(el, () => sendAction(el));
});

document.addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  if (form.matches("form.modal")) run(submitModal(form));
  if (form.id === "composer") sendComposer();
});

// Escape closes the confirm dialog, else the modal (all of its views), as in Slack.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  if (!$("#confirm-root").hidden) {
    $("#confirm-root").hidden = true;
    return;
  }
  const form = $("#modal-root form.modal");
  if (form) run(post("close", { viewId: form.dataset.viewId, how: "clear" }));
});

// ---------- typeahead (external selects) ----------

let suggestTimer;
document.addEventListener("input", (event) => {
  const input = event.target instanceof Element ? event.target.closest(".bk-typeahead input") : null;
  if (!input) return;
  const box = input.closest(".bk-typeahead");
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(() => run(suggest(box, input.value)), 150);
});

// ---------- composer ----------

function sendComposer() {
  const input = $("#composer-text");
  const text = input.value.trim();
  if (!text) return;
  const match = /^\/aws-access(?:\s+([\s\S]*))?$/.exec(text);
  if (!match) {
    toast(
      text.startsWith("/")
        ? "Only /aws-access is installed in this workspace."
        : "The bot answers /aws-access: try /aws-access help",
    );
    return;
  }
  input.value = "";
  run(post("command", { channel: state.conversation, text: (match[1] ?? "").trim() }));
}

// ---------- clock and countdowns ----------

function pad(n) {
  return String(n).padStart(2, "0");
}

function span(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${pad(m)}m` : `${m}m ${pad(s % 60)}s`;
}

const clockFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: document.body.dataset.tz || undefined,
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

function tick() {
  const now = Date.now() + state.offset;
  $("#clock").textContent = clockFormat.format(now);
  $("#clock").title = state.offset > 0 ? `${span(state.offset)} ahead of real time` : "real time";
  for (const el of $$("time.countdown")) {
    const left = Number(el.dataset.until) - now;
    el.textContent = left > 0 ? `in ${span(left)}` : "due now";
  }
}

// ---------- live updates ----------

function connect(user) {
  state.events?.close();
  state.user = user;
  setUser(user);
  document.body.dataset.user = user;
  delete document.body.dataset.ready;
  const events = new EventSource(`/events?user=${encodeURIComponent(user)}`);
  state.events = events;
  const on = (name, handle) => events.addEventListener(name, (e) => handle(JSON.parse(e.data)));
  on("reset", (data) => {
    state.conversations = new Map(data.conversations.map((c) => [c.id, c]));
    state.unread.clear();
    $("#messages").replaceChildren();
    for (const item of data.items) upsertItem(item);
    state.unread.clear();
    state.home = data.home;
    state.offset = data.offset;
    renderHome();
    renderModal(data.modal);
    $("#panel").innerHTML = data.panel;
    if (!state.conversations.has(state.conversation)) state.conversation = data.conversations[0]?.id ?? "";
    show(state.conversation);
    tick();
    $("#connection").classList.add("live");
    document.body.dataset.ready = "true";
  });
  on("item", upsertItem);
  on("item-removed", (data) => $(`article[data-key="${CSS.escape(data.key)}"]`)?.remove());
  on("modal", (data) => renderModal(data.modal));
  on("home", (data) => {
    state.home = data.html;
    renderHome();
  });
  on("panel", (data) => {
    $("#panel").innerHTML = data.html;
    tick();
  });
  on("clock", (data) => {
    state.offset = data.offset;
    tick();
  });
  on("conversation", (c) => {
    state.conversations.set(c.id, c);
    renderSidebar();
  });
  events.onerror = () => $("#connection").classList.remove("live");
}

$("#user").addEventListener("change", (event) => connect(event.target.value));
const first = new URLSearchParams(location.search).get("user") ?? document.body.dataset.firstUser;
$("#user").value = first;
connect($("#user").value);
setInterval(tick, 1000);
