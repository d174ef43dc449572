// Modals, form fields and element actions: what a person fills in and clicks, turned into calls to the server.
import { $, $$, post, run } from "./api.js";

// ---------- modal ----------

function fieldKey(el) {
  return `${el.dataset.blockId}/${el.dataset.actionId}`;
}

/** Current values of the form's elements, to keep what was typed when the same view is redrawn. */
function capture(form) {
  const values = new Map();
  for (const el of $$("[data-el]", form)) {
    if (el.matches("input, textarea")) values.set(fieldKey(el), el.value);
    else if (el.matches("select"))
      values.set(
        fieldKey(el),
        [...el.selectedOptions].map((o) => o.value),
      );
    else if (el.matches(".bk-typeahead")) values.set(fieldKey(el), $(".bk-chosen", el).innerHTML);
    else if (el.matches("fieldset"))
      values.set(
        fieldKey(el),
        $$("input:checked", el).map((i) => i.value),
      );
  }
  return values;
}

function restore(form, values) {
  for (const el of $$("[data-el]", form)) {
    const value = values.get(fieldKey(el));
    if (value === undefined) continue;
    if (el.matches("input, textarea")) el.value = value;
    else if (el.matches("select")) for (const o of el.options) o.selected = value.includes(o.value);
    else if (el.matches(".bk-typeahead")) $(".bk-chosen", el).innerHTML = value;
    else if (el.matches("fieldset")) for (const i of $$("input", el)) i.checked = value.includes(i.value);
  }
}

export function renderModal(modal) {
  const root = $("#modal-root");
  const old = $("form.modal", root);
  const kept = old && modal && old.dataset.viewId === modal.viewId ? capture(old) : null;
  if (!modal) {
    root.replaceChildren();
    root.hidden = true;
    return;
  }
  root.innerHTML = modal.html;
  root.hidden = false;
  const form = $("form.modal", root);
  if (kept) restore(form, kept);
  // Focus the first field the bot flagged, or the first field.
  const target = $(".has-error [data-el] , .has-error [data-el] input", form) ?? $("[data-el]", form);
  if (target && typeof target.focus === "function" && !kept) target.focus();
}

/** One element's value as the server expects it. */
export function readValue(el) {
  const base = { blockId: el.dataset.blockId, actionId: el.dataset.actionId, type: el.dataset.el };
  if (el.matches("select[multiple]")) return { ...base, values: [...el.selectedOptions].map((o) => o.value) };
  if (el.matches("select, input, textarea")) return { ...base, value: el.value };
  if (el.matches(".bk-typeahead")) {
    return {
      ...base,
      picked: $$(".bk-chip", el).map((c) => ({
        value: c.dataset.value,
        label: $(".bk-chip-label", c).textContent,
      })),
    };
  }
  if (el.matches("fieldset")) {
    const checked = $$("input:checked", el).map((i) => i.value);
    return el.dataset.el === "checkboxes"
      ? { ...base, values: checked }
      : { ...base, value: checked[0] ?? null };
  }
  return base;
}

function isEmpty(v) {
  if (v.values) return v.values.length === 0;
  if (v.picked) return v.picked.length === 0;
  return v.value === undefined || v.value === null || String(v.value).trim() === "";
}

export function formValues(form) {
  return $$(".bk-input", form)
    .map((block) => $("[data-el]", block))
    .filter(Boolean)
    .map(readValue);
}

export async function submitModal(form) {
  let missing = false;
  for (const block of $$(".bk-input", form)) {
    const el = $("[data-el]", block);
    const error = $(".bk-error", block);
    const empty = el && block.dataset.optional !== "true" && isEmpty(readValue(el));
    block.classList.toggle("has-error", Boolean(empty));
    if (empty) error.textContent = "Please complete this required field.";
    missing ||= Boolean(empty);
  }
  if (missing) return;
  const button = $('button[type="submit"]', form);
  if (button) button.disabled = true;
  try {
    await post("submit", { viewId: form.dataset.viewId, values: formValues(form) });
  } finally {
    if (button) button.disabled = false;
  }
}

// ---------- actions ----------

export function sourceOf(el) {
  const root = el.closest("[data-source]");
  if (!root) return null;
  if (root.dataset.source === "message") return { type: "message", key: root.dataset.key };
  if (root.dataset.source === "view") return { type: "view", viewId: root.dataset.viewId };
  return { type: "home" };
}

export function sendAction(el, extra = {}) {
  const source = sourceOf(el);
  if (!source) return;
  const form = el.closest("form.modal");
  const action = { ...readValue(el), ...extra, source, ...(form ? { state: formValues(form) } : {}) };
  run(post("action", action));
}

export function confirmThen(el, act) {
  const template = el.closest(".bk-el")?.querySelector("template.bk-confirm");
  if (!template) return act();
  const root = $("#confirm-root");
  const box = $(".confirm", root);
  box.replaceChildren(template.content.cloneNode(true));
  root.hidden = false;
  const close = () => {
    root.hidden = true;
    box.replaceChildren();
  };
  $('[data-confirm="deny"]', box).addEventListener("click", close);
  $('[data-confirm="confirm"]', box).addEventListener("click", () => {
    close();
    act();
  });
  $('[data-confirm="confirm"]', box).focus();
}

export function inInputBlock(el) {
  const block = el.closest(".bk-input");
  return Boolean(block) && block.dataset.dispatch !== "true";
}

export async function suggest(box, query) {
  const list = $(".bk-suggestions", box);
  if (query.length < Number(box.dataset.minQuery ?? 3)) return list.replaceChildren();
  const source = sourceOf(box);
  const answer = await post("suggest", {
    source,
    blockId: box.dataset.blockId,
    actionId: box.dataset.actionId,
    query,
  });
  list.replaceChildren(
    ...answer.options.map((o) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "bk-option";
      button.dataset.value = o.value;
      button.textContent = o.label;
      li.append(button);
      return li;
    }),
  );
  if (answer.options.length === 0) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = "No matches";
    list.append(li);
  }
}

export function pick(option) {
  const box = option.closest(".bk-typeahead");
  const chosen = $(".bk-chosen", box);
  if (box.dataset.el === "external_select") chosen.replaceChildren();
  if (!$$(".bk-chip", chosen).some((c) => c.dataset.value === option.dataset.value)) {
    const chip = document.createElement("span");
    chip.className = "bk-chip";
    chip.dataset.value = option.dataset.value;
    const label = document.createElement("span");
    label.className = "bk-chip-label";
    label.textContent = option.textContent;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "bk-chip-remove";
    remove.setAttribute("aria-label", "Remove");
    remove.textContent = "×";
    chip.append(label, remove);
    chosen.append(chip);
  }
  $("input", box).value = "";
  $(".bk-suggestions", box).replaceChildren();
  if (!inInputBlock(box)) sendAction(box);
}
