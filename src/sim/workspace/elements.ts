import { dataAttributes, type Html, html, join, trusted } from "./html.js";
import { type Directory, mrkdwn, plainText } from "./mrkdwn.js";

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A text object (plain_text or mrkdwn) as HTML; anything else as nothing. */
export function textObject(value: unknown, dir: Directory): Html {
  if (!isRecord(value)) return trusted("");
  if (value.type === "mrkdwn") return mrkdwn(str(value.text), dir);
  return plainText(str(value.text), value.emoji !== false);
}

/** Where an element sits, so a click can be sent back with Slack's ids. */
export interface Place {
  blockId: string;
  /** The element's action_id, or a stand-in for elements without one (Slack makes one up too). */
  actionId: string;
}

/** The option objects of a select, flattened out of option groups. */
export function optionsOf(element: Json): Json[] {
  const direct = list(element.options).filter(isRecord);
  const grouped = list(element.option_groups)
    .filter(isRecord)
    .flatMap((group) => list(group.options).filter(isRecord));
  return [...direct, ...grouped];
}

function optionTags(options: Json[], chosen: Set<string>, dir: Directory): Html {
  return join(
    options.map(
      (option) =>
        html`<option value="${str(option.value)}"${chosen.has(str(option.value)) ? trusted(" selected") : ""}>${textObject(option.text, dir)}</option>`,
    ),
  );
}

function selectOptions(element: Json, chosen: Set<string>, dir: Directory): Html {
  const groups = list(element.option_groups).filter(isRecord);
  if (groups.length === 0) return optionTags(list(element.options).filter(isRecord), chosen, dir);
  return join(
    groups.map(
      (group) =>
        html`<optgroup label="${str(isRecord(group.label) ? group.label.text : "")}">${optionTags(list(group.options).filter(isRecord), chosen, dir)}</optgroup>`,
    ),
  );
}

function initialValues(element: Json): Set<string> {
  const one = isRecord(element.initial_option) ? [str(element.initial_option.value)] : [];
  const many = list(element.initial_options)
    .filter(isRecord)
    .map((o) => str(o.value));
  return new Set([...one, ...many]);
}

/** The confirm dialog a button or select asks before acting, kept in a template for the page to open. */
function confirmTemplate(element: Json, dir: Directory): Html {
  const confirm = element.confirm;
  if (!isRecord(confirm)) return trusted("");
  return html`<template class="bk-confirm"><div class="confirm-title">${textObject(confirm.title, dir)}</div><div class="confirm-text">${textObject(confirm.text, dir)}</div><div class="confirm-actions"><button type="button" class="bk-button" data-confirm="deny">${textObject(confirm.deny ?? { type: "plain_text", text: "Cancel" }, dir)}</button><button type="button" class="bk-button ${confirm.style === "danger" ? "danger" : "primary"}" data-confirm="confirm">${textObject(confirm.confirm ?? { type: "plain_text", text: "Yes" }, dir)}</button></div></template>`;
}

/** One interactive or display element (button, selects, pickers, inputs, image) as HTML. */
export function element(value: unknown, place: Place, dir: Directory, required = false): Html {
  if (!isRecord(value)) return trusted("");
  const type = str(value.type);
  const data = (extra: Record<string, string | undefined> = {}) =>
    dataAttributes({ el: type, "block-id": place.blockId, "action-id": place.actionId, ...extra });
  const placeholder = isRecord(value.placeholder) ? str(value.placeholder.text) : "";
  const req = trusted(required ? " required" : "");
  switch (type) {
    case "button": {
      const style = value.style === "primary" || value.style === "danger" ? ` ${value.style}` : "";
      const url = /^https?:\/\//i.test(str(value.url)) ? str(value.url) : undefined;
      return html`<span class="bk-el"><button type="button" class="bk-button${style}"${data({ value: str(value.value), url })}>${textObject(value.text, dir)}</button>${confirmTemplate(value, dir)}</span>`;
    }
    case "static_select":
    case "overflow": {
      const first = type === "overflow" ? "⋯" : placeholder || "Select an item";
      return html`<span class="bk-el"><select class="bk-select"${data()}${req}><option value="">${first}</option>${selectOptions(value, initialValues(value), dir)}</select>${confirmTemplate(value, dir)}</span>`;
    }
    case "multi_static_select":
      return html`<select class="bk-select" multiple size="${Math.min(6, Math.max(2, optionsOf(value).length))}"${data()}${req}>${selectOptions(value, initialValues(value), dir)}</select>`;
    case "external_select":
    case "multi_external_select":
      return typeahead(value, type, data, placeholder, dir);
    case "datepicker":
      return html`<input type="date" class="bk-text-input"${data()} value="${str(value.initial_date)}"${req}>`;
    case "timepicker":
      return html`<input type="time" class="bk-text-input"${data()} value="${str(value.initial_time)}"${req}>`;
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
    case "number_input":
      return textInput(value, type, data(), placeholder, req);
    case "checkboxes":
    case "radio_buttons":
      return choices(value, type, place, data(), dir);
    case "image":
      return html`<span class="bk-image" title="${str(value.alt_text)}">🖼 ${str(value.alt_text)}</span>`;
    default:
      return html`<span class="bk-unsupported">[${type || "element"}]</span>`;
  }
}

function typeahead(
  value: Json,
  type: string,
  data: (extra?: Record<string, string | undefined>) => Html,
  placeholder: string,
  dir: Directory,
): Html {
  const initial = [
    ...(isRecord(value.initial_option) ? [value.initial_option] : []),
    ...list(value.initial_options).filter(isRecord),
  ];
  const chosen = join(initial.map((o) => chip(str(o.value), textObject(o.text, dir))));
  const minQuery = typeof value.min_query_length === "number" ? String(value.min_query_length) : "3";
  return html`<div class="bk-typeahead"${data({ "min-query": minQuery })}><div class="bk-chosen">${chosen}</div><input type="text" class="bk-text-input" autocomplete="off" placeholder="${placeholder || "Type to search"}" aria-label="${placeholder || type}"><ul class="bk-suggestions" role="listbox"></ul></div>`;
}

/** A chosen option of a typeahead; the page builds the same markup for options picked later. */
export function chip(value: string, label: Html): Html {
  return html`<span class="bk-chip" data-value="${value}"><span class="bk-chip-label">${label}</span><button type="button" class="bk-chip-remove" aria-label="Remove">×</button></span>`;
}

function textInput(value: Json, type: string, data: Html, placeholder: string, req: Html): Html {
  const initial = str(value.initial_value);
  const max = typeof value.max_length === "number" ? trusted(` maxlength="${value.max_length}"`) : "";
  if (type === "plain_text_input" && value.multiline === true) {
    return html`<textarea class="bk-text-input" rows="3"${data} placeholder="${placeholder}"${max}${req}>${initial}</textarea>`;
  }
  const inputType =
    type === "email_text_input"
      ? "email"
      : type === "url_text_input"
        ? "url"
        : type === "number_input"
          ? "number"
          : "text";
  const step = type === "number_input" && value.is_decimal_allowed === true ? trusted(` step="any"`) : "";
  return html`<input type="${inputType}" class="bk-text-input"${data} value="${initial}" placeholder="${placeholder}"${max}${step}${req}>`;
}

function choices(value: Json, type: string, place: Place, data: Html, dir: Directory): Html {
  const chosen = initialValues(value);
  const input = type === "checkboxes" ? "checkbox" : "radio";
  const options = list(value.options)
    .filter(isRecord)
    .map(
      (option) =>
        html`<label class="bk-choice"><input type="${input}" name="${place.blockId}.${place.actionId}" value="${str(option.value)}"${chosen.has(str(option.value)) ? trusted(" checked") : ""}> ${textObject(option.text, dir)}${isRecord(option.description) ? html`<span class="bk-choice-description">${textObject(option.description, dir)}</span>` : ""}</label>`,
    );
  return html`<fieldset class="bk-choices"${data}>${join(options)}</fieldset>`;
}
